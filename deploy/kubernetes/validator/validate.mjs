#!/usr/bin/env node
// Validates rendered Kubernetes manifests (multi-document YAML files) without a cluster, strictly:
//
//  1. every object must be of a kind whose schema is known: the Kubernetes API (kubernetes-models)
//     or the CRDs of Strimzi, CloudNativePG and KEDA (@kubernetes-models/*); anything else is an error;
//  2. the schema's JSON Schema validator (ajv, compiled into those packages) checks types, enum values,
//     required fields, patterns and formats;
//  3. the same packages' TypeScript interfaces, compiled against each object as an object literal,
//     reject fields the schema does not have (TypeScript's excess-property check), which the JSON
//     Schemas allow.
//
// Usage: validate.mjs FILE...   Exit code 0 when every object of every file is valid, 1 otherwise;
// each problem is one line on stdout: FILE: KIND NAME: problem.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));

// API group → the package holding its models; the core group ("v1") and the Kubernetes groups are in
// kubernetes-models.
const PACKAGES = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "core.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "keda.sh": "@kubernetes-models/keda",
};

/** The module of an apiVersion (`apps/v1`, `v1`, `kafka.strimzi.io/v1beta2`) in its package. */
function moduleOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = PACKAGES[group] ?? "kubernetes-models";
  return `${pkg}/${apiVersion}`;
}

async function modelClass(apiVersion, kind) {
  let mod;
  try {
    mod = await import(moduleOf(apiVersion));
  } catch (e) {
    return null;
  }
  const cls = mod[kind];
  return typeof cls === "function" ? cls : null;
}

function describe(obj) {
  const name = obj?.metadata?.name ?? "(no name)";
  return `${obj?.kind ?? "(no kind)"} ${name}`;
}

function readObjects(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
  const objects = [];
  const problems = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      problems.push(`${file}: not YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) {
      continue;
    }
    objects.push(obj);
  }
  return { objects, problems };
}

/** Schema validation: types, enums, required fields, patterns, formats. */
async function validateSchemas(file, objects, problems, typed) {
  for (const obj of objects) {
    if (typeof obj !== "object" || Array.isArray(obj) || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
      problems.push(`${file}: ${describe(obj)}: an object with apiVersion and kind is expected`);
      continue;
    }
    const Model = await modelClass(obj.apiVersion, obj.kind);
    if (!Model) {
      problems.push(`${file}: ${describe(obj)}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(structuredClone(obj)).validate();
    } catch (e) {
      const errors = e.errors ?? [{ instancePath: "", message: e.message }];
      for (const err of errors) {
        const where = err.instancePath || "/";
        const detail = err.params?.allowedValues ? ` (${err.params.allowedValues.join(", ")})` : "";
        problems.push(`${file}: ${describe(obj)}: ${where}: ${err.message}${detail}`);
      }
    }
    typed.push({ file, obj, module: moduleOf(obj.apiVersion) });
  }
}

// TypeScript's "Object literal may only specify known properties" (and its "did you mean" form).
const EXCESS_PROPERTY_CODES = new Set([2353, 2561]);

/** Whether a value of the expected type may have the field: declared, or a free-form object. */
function declares(checker, expected, name) {
  const type = checker.getNonNullableType(expected);
  const members = type.isUnion() ? type.types : [type];
  return members.some((m) => {
    if (m.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      return true;
    }
    if (checker.getPropertyOfType(m, name)) {
      return true;
    }
    if (checker.getIndexInfosOfType(m).length > 0) {
      return true;
    }
    return (m.flags & ts.TypeFlags.Object) !== 0 && checker.getPropertiesOfType(m).length === 0;
  });
}

/** Unknown fields (and types again): each object as a literal of its model's TypeScript interface. */
function validateFields(typed, problems) {
  if (typed.length === 0) {
    return;
  }
  const source = path.join(here, `.check-${process.pid}.ts`);
  const lines = [];
  const owners = []; // line index → object
  typed.forEach((t, i) => {
    lines.push(`import type { I${t.obj.kind} as T${i} } from ${JSON.stringify(t.module)};`);
  });
  typed.forEach((t, i) => {
    const start = lines.length;
    const body = JSON.stringify(t.obj, null, 2).split("\n");
    body[0] = `export const o${i}: T${i} = ${body[0]}`;
    body[body.length - 1] += ";";
    lines.push(...body);
    for (let l = start; l < lines.length; l++) {
      owners[l] = t;
    }
  });
  fs.writeFileSync(source, lines.join("\n") + "\n");
  try {
    const program = ts.createProgram([source], {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const report = (node, message) => {
      const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
      const owner = owners[line];
      const text = lines[line].trim().replace(/,$/, "");
      problems.push(owner ? `${owner.file}: ${describe(owner.obj)}: ${text}: ${message}` : `type check: ${message}`);
    };
    const sourceFile = program.getSourceFile(source);
    // Types and enum values (and missing required fields) as TypeScript sees them. Its excess-property
    // errors are left to the walk below, which finds every unknown field, not only the first of a literal.
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (EXCESS_PROPERTY_CODES.has(d.code)) {
        continue;
      }
      const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
      if (d.file === sourceFile && d.start !== undefined) {
        report({ getStart: () => d.start }, message);
      } else {
        problems.push(`type check: ${message}`);
      }
    }
    // Unknown fields: every property of every object literal must be one its expected type declares,
    // unless that type is free-form (an index signature, or an empty type: the schema's
    // x-kubernetes-preserve-unknown-fields, e.g. Kafka's broker config).
    const checker = program.getTypeChecker();
    const visit = (node) => {
      if (ts.isObjectLiteralExpression(node)) {
        const expected = checker.getContextualType(node);
        if (expected) {
          for (const prop of node.properties) {
            const name = prop.name && ts.isStringLiteral(prop.name) ? prop.name.text : prop.name?.getText(sourceFile);
            if (name !== undefined && !declares(checker, expected, name)) {
              report(prop, `unknown field "${name}" (not in the schema of ${checker.typeToString(checker.getNonNullableType(expected))
                  .slice(0, 120)})`);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  } finally {
    fs.rmSync(source, { force: true });
  }
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: validate.mjs FILE...");
    return 2;
  }
  const problems = [];
  const typed = [];
  let count = 0;
  for (const file of files) {
    const read = readObjects(file);
    problems.push(...read.problems);
    count += read.objects.length;
    await validateSchemas(file, read.objects, problems, typed);
  }
  validateFields(typed, problems);
  for (const p of problems) {
    console.log(p);
  }
  console.log(`${count} objects in ${files.length} file(s): ${problems.length === 0 ? "valid" : `${problems.length} problem(s)`}`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
