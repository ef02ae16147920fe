// jobplane live dashboard: reads GET /api/v1/workspaces/{ws}/runs/stream (Server-Sent Events) with
// fetch(), so the token travels in the Authorization header and never in a URL. Every text that comes
// from a tenant (job names, error text, log lines) is put into the page with textContent, never as HTML.
(function () {
  'use strict';

  var API = '/api/v1/workspaces/';
  var ACTIVE = { QUEUED: 1, RUNNING: 1, CANCELLING: 1 };
  var MAX_ENDED = 50, MAX_FAILURES = 20, WINDOW_MS = 10 * 60 * 1000;

  var state = freshState();
  var session = null; // { token, workspace, abort, lastEventId, generation }

  function freshState() {
    return { runs: {}, jobs: {}, ended: [], failures: [], ends: [], rows: [] };
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function notice(text) {
    var n = $('notice');
    n.textContent = text || '';
    n.hidden = !text;
  }

  function connection(text, cls) {
    var c = $('connection');
    c.textContent = text;
    c.className = 'pill ' + cls;
  }

  // --- REST --------------------------------------------------------------------------------------

  function api(path) {
    return fetch(path, { headers: { Authorization: 'Bearer ' + session.token, Accept: 'application/json' } })
      .then(function (r) {
        return r.text().then(function (body) {
          var json = null;
          try { json = body ? JSON.parse(body) : null; } catch (e) { json = null; }
          if (!r.ok) {
            var err = new Error((json && json.error_msg) || ('HTTP ' + r.status));
            err.status = r.status;
            err.body = json;
            throw err;
          }
          return json;
        });
      });
  }

  function ws() { return API + encodeURIComponent(session.workspace); }

  function loadWorkspaces(token) {
    fetch('/api/v1/workspaces', { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        var list = $('workspaces');
        list.textContent = '';
        var items = body && (body.workspaces || body);
        if (!Array.isArray(items)) { return; }
        items.forEach(function (w) {
          var o = document.createElement('option');
          o.value = w.workspace_id || w.id || '';
          list.appendChild(o);
        });
        if (!$('workspace').value && items.length === 1) { $('workspace').value = items[0].workspace_id || ''; }
      }).catch(function () { /* the workspace can still be typed */ });
  }

  /** What the REST API knows now: jobs, their last runs, the runs still active. */
  function loadSnapshot(generation) {
    return api(ws() + '/jobs?limit=200').then(function (page) {
      if (!current(generation)) { return; }
      var jobs = (page && page.jobs) || [];
      jobs.forEach(function (j) { job(j.job_id, j.name); });
      render();
      return pool(jobs, 6, function (j) {
        return api(ws() + '/jobs/' + encodeURIComponent(j.job_id) + '/status').then(function (s) {
          if (!current(generation) || !s || !s.last_run) { return; }
          var r = s.last_run;
          var jb = job(j.job_id, j.name);
          if (ACTIVE[r.status]) {
            mergeRun(r);
          } else if (!jb.status) {
            jb.status = r.status;
            jb.endedAt = r.finished_at;
            jb.runId = r.run_id;
          }
        }).catch(function () { /* a job deleted meanwhile */ });
      });
    }).then(render);
  }

  function pool(items, width, work) {
    var i = 0;
    function next() {
      if (i >= items.length) { return Promise.resolve(); }
      var item = items[i++];
      return work(item).then(next);
    }
    var runners = [];
    for (var k = 0; k < width; k++) { runners.push(next()); }
    return Promise.all(runners);
  }

  /** A run seen on the stream before its queued event: its job and tasks from the REST API. */
  function fetchRun(runId) {
    var run = state.runs[runId];
    if (!run || run.fetched) { return; }
    run.fetched = true;
    api(ws() + '/runs/' + encodeURIComponent(runId)).then(function (r) {
      if (r) { mergeRun(r); render(); }
    }).catch(function () { /* the read model may not have it yet; the stream carries on */ });
  }

  /** The runs shown as active, asked again: those that ended meanwhile move to the ends. */
  function refreshActive(generation) {
    Object.keys(state.runs).map(function (k) { return state.runs[k]; })
      .filter(function (run) { return ACTIVE[run.status]; })
      .forEach(function (run) {
        api(ws() + '/runs/' + encodeURIComponent(run.id)).then(function (r) {
          if (!current(generation) || !r) { return; }
          if (ACTIVE[r.status]) {
            mergeRun(r);
          } else {
            finish(run, { status: r.status, finished_at: r.finished_at, error_message: r.error_message,
              error_code: r.error_code });
          }
          render();
        }).catch(function () { /* asked again on the next gap */ });
      });
  }

  function mergeRun(r) {
    var run = runOf(r.run_id);
    run.fetched = true;
    run.jobId = run.jobId || r.job_id;
    if (r.job_name) { run.jobName = r.job_name; job(r.job_id, r.job_name); }
    if (!run.final) {
      run.status = r.status;
      run.startedAt = run.startedAt || r.started_at;
      run.queuedAt = run.queuedAt || r.queued_at;
    }
    (r.tasks || []).forEach(function (t) {
      var task = taskOf(run, t.task_id, t.index);
      if (!task.final) { task.status = t.status; }
      task.rows = Math.max(task.rows || 0, t.rows_processed || 0, t.rows_affected || 0);
      task.bytes = Math.max(task.bytes || 0, t.bytes_processed || 0);
    });
  }

  // --- state -------------------------------------------------------------------------------------

  function job(id, name) {
    if (!id) { return { }; }
    var j = state.jobs[id] || (state.jobs[id] = { id: id });
    if (name) { j.name = name; }
    return j;
  }

  function runOf(id) {
    return state.runs[id] || (state.runs[id] = { id: id, tasks: {}, status: 'QUEUED' });
  }

  function taskOf(run, id, index) {
    var t = run.tasks[id] || (run.tasks[id] = { id: id, index: index, status: 'PENDING', rows: 0, bytes: 0 });
    if (index !== undefined && index !== null) { t.index = index; }
    return t;
  }

  function apply(type, event) {
    var d = event.data || {};
    if (!d.run_id) { return; }
    var known = !!state.runs[d.run_id];
    var run = runOf(d.run_id);
    if (d.job_id) { run.jobId = d.job_id; }
    if (d.attempt && d.attempt > (run.attempt || 0)) {
      run.attempt = d.attempt;
      if (!ACTIVE[run.status]) { run.final = false; }
    }
    switch (type) {
      case 'jobplane.run.queued':
        run.jobName = d.job_name;
        job(d.job_id, d.job_name);
        run.fetched = true;
        if (!run.final) { run.status = 'QUEUED'; }
        run.queuedAt = d.queued_at;
        (d.tasks || []).forEach(function (t) { taskOf(run, t.task_id, t.index); });
        break;
      case 'jobplane.run.started':
        if (!run.final) { run.status = 'RUNNING'; }
        run.startedAt = d.started_at;
        run.worker = d.worker_id;
        break;
      case 'jobplane.run.heartbeat':
        if (!run.final && run.status === 'QUEUED' && d.state !== 'ACCEPTED') { run.status = d.state; }
        break;
      case 'jobplane.run.cancelling':
        if (!run.final) { run.status = 'CANCELLING'; }
        break;
      case 'jobplane.run.finished':
        finish(run, d);
        break;
      case 'jobplane.task.started':
        var ts = taskOf(run, d.task_id, d.index);
        if (!ts.final) { ts.status = 'RUNNING'; }
        if (!run.final && run.status === 'QUEUED') { run.status = 'RUNNING'; }
        break;
      case 'jobplane.task.progress':
        var tp = taskOf(run, d.task_id, d.index);
        tp.rows = Math.max(tp.rows || 0, d.rows_processed || 0);
        tp.bytes = Math.max(tp.bytes || 0, d.bytes_processed || 0);
        break;
      case 'jobplane.task.finished':
        var tf = taskOf(run, d.task_id, d.index);
        tf.status = d.status;
        tf.final = true;
        tf.error = d.error_message;
        var rows = Math.max(tf.rows || 0, d.rows_affected || 0);
        tf.rows = rows;
        if (rows > 0) { state.rows.push({ at: Date.now(), rows: rows }); }
        break;
      default:
        break;
    }
    if (!known && !run.fetched) { fetchRun(d.run_id); }
  }

  function finish(run, d) {
    run.status = d.status;
    run.final = true;
    run.finishedAt = d.finished_at;
    run.error = d.error_message;
    run.errorCode = d.error_code;
    var j = job(run.jobId);
    if (!j.endedAt || (d.finished_at && d.finished_at >= j.endedAt)) {
      j.status = d.status;
      j.endedAt = d.finished_at;
      j.runId = run.id;
    }
    state.ended = state.ended.filter(function (r) { return r.id !== run.id; });
    state.ended.unshift(run);
    state.ended.length = Math.min(state.ended.length, MAX_ENDED);
    state.ends.push({ at: Date.now(), status: d.status });
    if (d.status === 'FAILED') {
      state.failures = state.failures.filter(function (r) { return r.id !== run.id; });
      state.failures.unshift(run);
      state.failures.length = Math.min(state.failures.length, MAX_FAILURES);
    }
  }

  // --- rendering ---------------------------------------------------------------------------------

  var renderQueued = false;
  function render() {
    if (renderQueued) { return; }
    renderQueued = true;
    requestAnimationFrame(function () { renderQueued = false; draw(); });
  }

  function jobName(run) {
    return run.jobName || (state.jobs[run.jobId] && state.jobs[run.jobId].name) || run.jobId || '…';
  }

  function shortId(id) { return id ? String(id).slice(-12) : ''; }

  function time(ts) {
    if (!ts) { return ''; }
    var d = new Date(ts);
    return isNaN(d) ? '' : d.toLocaleTimeString();
  }

  function duration(ms) {
    if (ms === null || ms === undefined || isNaN(ms) || ms < 0) { return ''; }
    if (ms < 1000) { return ms + ' ms'; }
    var s = ms / 1000;
    if (s < 60) { return s.toFixed(1) + ' s'; }
    var m = Math.floor(s / 60);
    return m + ' min ' + Math.round(s - m * 60) + ' s';
  }

  function number(n) { return (n || 0).toLocaleString(); }

  function bytes(n) {
    if (!n) { return '0 B'; }
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + u[i];
  }

  function statusCell(status) {
    var td = el('td');
    td.appendChild(el('span', status, 'status s-' + String(status || '').toLowerCase()));
    return td;
  }

  function runLink(run) {
    var td = el('td');
    var a = el('a', shortId(run.id), 'run-link');
    a.href = '#';
    a.title = 'show the log of run ' + run.id;
    a.addEventListener('click', function (e) { e.preventDefault(); showLog(run); });
    td.appendChild(a);
    return td;
  }

  function tasksOf(run) {
    return Object.keys(run.tasks).map(function (k) { return run.tasks[k]; })
      .sort(function (a, b) { return (a.index || 0) - (b.index || 0); });
  }

  function draw() {
    var now = Date.now();
    var runs = Object.keys(state.runs).map(function (k) { return state.runs[k]; });

    var active = runs.filter(function (r) { return ACTIVE[r.status]; })
      .sort(function (a, b) { return String(b.id).localeCompare(String(a.id)); });
    var body = $('active').tBodies[0];
    body.textContent = '';
    active.forEach(function (run) {
      var tr = el('tr');
      tr.dataset.runId = run.id;
      tr.appendChild(el('td', jobName(run), 'job'));
      tr.appendChild(runLink(run));
      tr.appendChild(statusCell(run.status));
      tr.appendChild(el('td', time(run.startedAt)));
      tr.appendChild(el('td', run.startedAt ? duration(now - new Date(run.startedAt).getTime()) : ''));
      var cell = el('td');
      var list = el('ol', null, 'tasks');
      tasksOf(run).forEach(function (t) {
        var li = el('li', null, 'task');
        li.dataset.taskId = t.id;
        li.appendChild(el('span', t.status, 'status small s-' + String(t.status).toLowerCase()));
        li.appendChild(el('span', '#' + t.index, 'muted'));
        li.appendChild(el('span', number(t.rows) + ' rows · ' + bytes(t.bytes), 'progress'));
        list.appendChild(li);
      });
      cell.appendChild(list);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
    $('active-count').textContent = active.length;
    $('active-empty').hidden = active.length > 0;

    body = $('ended').tBodies[0];
    body.textContent = '';
    state.ended.forEach(function (run) {
      var tr = el('tr');
      tr.dataset.runId = run.id;
      tr.appendChild(el('td', jobName(run), 'job'));
      tr.appendChild(runLink(run));
      tr.appendChild(statusCell(run.status));
      tr.appendChild(el('td', time(run.finishedAt)));
      var start = run.startedAt || run.queuedAt;
      tr.appendChild(el('td', start && run.finishedAt
        ? duration(new Date(run.finishedAt).getTime() - new Date(start).getTime()) : '', 'duration'));
      tr.appendChild(el('td', number(tasksOf(run).reduce(function (s, t) { return s + (t.rows || 0); }, 0))));
      body.appendChild(tr);
    });

    var ul = $('failures');
    ul.textContent = '';
    state.failures.forEach(function (run) {
      var li = el('li', null, 'failure');
      li.dataset.runId = run.id;
      var head = el('div', null, 'failure-head');
      head.appendChild(el('strong', jobName(run), 'job'));
      var a = el('a', 'run ' + shortId(run.id), 'run-link');
      a.href = '#';
      a.addEventListener('click', function (e) { e.preventDefault(); showLog(run); });
      head.appendChild(a);
      head.appendChild(el('span', run.errorCode || '', 'code'));
      head.appendChild(el('span', time(run.finishedAt), 'muted'));
      li.appendChild(head);
      var texts = [];
      tasksOf(run).forEach(function (t) { if (t.error) { texts.push('task #' + t.index + ': ' + t.error); } });
      if (!texts.length && run.error) { texts.push(run.error); }
      li.appendChild(el('pre', texts.join('\n') || 'no error text', 'error'));
      ul.appendChild(li);
    });
    $('failures-empty').hidden = state.failures.length > 0;

    body = $('jobs').tBodies[0];
    body.textContent = '';
    Object.keys(state.jobs).map(function (k) { return state.jobs[k]; })
      .sort(function (a, b) { return String(a.name || a.id).localeCompare(String(b.name || b.id)); })
      .forEach(function (j) {
        var tr = el('tr');
        tr.dataset.jobId = j.id;
        tr.appendChild(el('td', j.name || j.id, 'job'));
        tr.appendChild(statusCell(j.status || 'NEVER_RUN'));
        tr.appendChild(el('td', time(j.endedAt)));
        body.appendChild(tr);
      });

    drawThroughput(now);
  }

  function drawThroughput(now) {
    state.ends = state.ends.filter(function (e) { return now - e.at < WINDOW_MS; });
    state.rows = state.rows.filter(function (e) { return now - e.at < WINDOW_MS; });
    var minutes = [];
    for (var i = 9; i >= 0; i--) { minutes.push({ from: now - (i + 1) * 60000, to: now - i * 60000, ok: 0, bad: 0 }); }
    state.ends.forEach(function (e) {
      minutes.forEach(function (m) {
        if (e.at > m.from && e.at <= m.to) { if (e.status === 'SUCCESS') { m.ok++; } else { m.bad++; } }
      });
    });
    var last = minutes[minutes.length - 1];
    $('runs-per-minute').textContent = last.ok + last.bad;
    var rows = state.rows.filter(function (e) { return now - e.at < 60000; })
      .reduce(function (s, e) { return s + e.rows; }, 0);
    $('rows-per-second').textContent = (rows / 60).toFixed(rows >= 600 ? 0 : 1);
    var max = minutes.reduce(function (m, x) { return Math.max(m, x.ok + x.bad); }, 1);
    var chart = $('chart');
    chart.textContent = '';
    minutes.forEach(function (m, i) {
      var bar = el('div', null, 'bar');
      bar.title = (m.ok + m.bad) + ' runs ended ' + (9 - i) + ' min ago';
      var ok = el('div', null, 'ok');
      ok.style.height = (100 * m.ok / max) + '%';
      var bad = el('div', null, 'bad');
      bad.style.height = (100 * m.bad / max) + '%';
      bar.appendChild(bad);
      bar.appendChild(ok);
      chart.appendChild(bar);
    });
  }

  // --- log panel ---------------------------------------------------------------------------------

  function showLog(run) {
    $('log-title').textContent = jobName(run) + ' · ' + run.id;
    var pre = $('log-lines');
    pre.textContent = 'loading…';
    $('log-panel').hidden = false;
    var lines = [];
    function page(afterAttempt, afterSeq) {
      var q = '?limit=1000&after_attempt=' + afterAttempt + '&after_seq=' + afterSeq;
      return api(ws() + '/runs/' + encodeURIComponent(run.id) + '/logs' + q).then(function (p) {
        var got = (p && p.lines) || [];
        lines = lines.concat(got);
        if (got.length === 1000 && lines.length < 20000) {
          var l = got[got.length - 1];
          return page(l.attempt, l.seq);
        }
      });
    }
    page(0, -1).then(function () {
      pre.textContent = '';
      if (!lines.length) { pre.textContent = 'No log lines (yet).'; return; }
      lines.forEach(function (l) {
        var line = el('div', null, 'log-line l-' + String(l.level || '').toLowerCase());
        line.appendChild(el('span', time(l.at) + ' ', 'muted'));
        line.appendChild(el('span', (l.level || '') + ' ', 'level'));
        line.appendChild(el('span', l.message));
        pre.appendChild(line);
      });
    }).catch(function (e) { pre.textContent = 'Could not read the log: ' + e.message; });
  }

  // --- the stream --------------------------------------------------------------------------------

  function current(generation) { return session && session.generation === generation; }

  function connect(generation, delay) {
    if (!current(generation)) { return; }
    var controller = new AbortController();
    session.abort = controller;
    var headers = { Authorization: 'Bearer ' + session.token, Accept: 'text/event-stream' };
    if (session.lastEventId) { headers['Last-Event-ID'] = session.lastEventId; }
    connection(session.lastEventId ? 'resuming' : 'connecting', 'wait');
    fetch(ws() + '/runs/stream', { headers: headers, signal: controller.signal, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            var err = new Error(body.error_msg || ('HTTP ' + response.status));
            err.status = response.status;
            err.fix = body.solution_msg;
            throw err;
          });
        }
        return read(response.body.getReader(), generation);
      })
      .then(function () { retry(generation, 500); })
      .catch(function (e) {
        if (!current(generation) || e.name === 'AbortError') { return; }
        if (e.status === 401 || e.status === 403 || e.status === 404) {
          connection('refused', 'off');
          notice(e.message + (e.fix ? ' — ' + e.fix : ''));
          return;
        }
        if (e.status === 400) { session.lastEventId = null; }
        retry(generation, Math.min((delay || 500) * 2, 10000));
      });
  }

  function retry(generation, delay) {
    if (!current(generation)) { return; }
    connection('reconnecting', 'wait');
    setTimeout(function () { connect(generation, delay); }, delay);
  }

  function read(reader, generation) {
    var decoder = new TextDecoder('utf-8');
    var buffer = '';
    var event = { data: [], name: '', id: null };
    function line(text) {
      if (text === '') {
        if (event.data.length || event.name) { dispatch(event, generation); }
        event = { data: [], name: '', id: null };
        return;
      }
      if (text.charAt(0) === ':') { return; } // heartbeat comment
      var colon = text.indexOf(':');
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') { event.data.push(value); }
      else if (field === 'event') { event.name = value; }
      else if (field === 'id') { event.id = value; }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || !current(generation)) { return; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        lines.forEach(line);
        return pump();
      });
    }
    return pump();
  }

  function dispatch(event, generation) {
    if (!current(generation)) { return; }
    if (event.id) { session.lastEventId = event.id; }
    var data = event.data.join('\n');
    if (event.name === 'stream.ready') {
      connection('live', 'on');
      notice('');
    } else if (event.name === 'stream.gap') {
      // Events were missed beyond what a resume replays: take the current state from the REST API again.
      loadSnapshot(generation);
      refreshActive(generation);
    } else {
      var parsed;
      try { parsed = JSON.parse(data); } catch (e) { return; }
      apply(parsed.type || event.name, parsed);
    }
    render();
  }

  // --- wiring ------------------------------------------------------------------------------------

  function start(token, workspace) {
    if (session && session.abort) { session.abort.abort(); }
    state = freshState();
    render();
    session = { token: token, workspace: workspace, lastEventId: null, generation: Math.random() };
    sessionStorage.setItem('jobplane.token', token);
    sessionStorage.setItem('jobplane.workspace', workspace);
    notice('');
    var generation = session.generation;
    loadSnapshot(generation).catch(function (e) {
      if (current(generation)) { notice('Could not load the workspace: ' + e.message); }
    });
    connect(generation, 500);
  }

  function stop() {
    if (session && session.abort) { session.abort.abort(); }
    session = null;
    sessionStorage.removeItem('jobplane.token');
    $('token').value = '';
    connection('offline', 'off');
  }

  $('connect').addEventListener('submit', function (e) {
    e.preventDefault();
    var token = $('token').value.trim();
    var workspace = $('workspace').value.trim();
    if (!token || !workspace) { notice('Paste a token and name the workspace.'); return; }
    start(token, workspace);
  });
  $('token').addEventListener('change', function () {
    var t = $('token').value.trim();
    if (t) { loadWorkspaces(t); }
  });
  $('disconnect-button').addEventListener('click', stop);
  $('log-close').addEventListener('click', function () { $('log-panel').hidden = true; });
  setInterval(render, 1000);

  var params = new URLSearchParams(location.search);
  var savedToken = sessionStorage.getItem('jobplane.token');
  var savedWorkspace = params.get('workspace') || sessionStorage.getItem('jobplane.workspace') || '';
  $('workspace').value = savedWorkspace;
  if (savedToken) {
    $('token').value = savedToken;
    if (savedWorkspace) { start(savedToken, savedWorkspace); }
  }
  render();
})();
