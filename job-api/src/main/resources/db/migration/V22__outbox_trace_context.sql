-- The W3C trace context of the span that wrote an outbox row (the launch or cancel request, mostly):
-- the relay continues that trace and puts its own span's context into the CloudEvent it sends
-- (CloudEvents Distributed Tracing extension; docs/tracing.md). Null: the row was written outside a trace.
alter table api.outbox add column traceparent text, add column tracestate text;
