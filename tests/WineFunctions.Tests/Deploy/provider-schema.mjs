// Turns the type descriptions (.jsii) of a CDKTF provider package into a compact schema of the
// Terraform provider it was generated from: for every resource and data source, its arguments and
// blocks, each {"required": bool, "nested": <schema of a block or object attribute> | undefined}.
// ./test.sh runs it once: node provider-schema.mjs <package/.jsii> > .test-tools/provider-schemas/<name>.json
import { readFileSync } from "node:fs";

const jsii = JSON.parse(readFileSync(process.argv[2], "utf8"));
const types = jsii.types;
const represents = /Represents a \{@link https:\/\/registry\.terraform\.io\/providers\/[\w-]+\/[\w-]+\/([\d.]+)\/docs\/(resources|data-sources)\/\w+ (\w+)\}/;
const anchor = /\{@link https:\/\/registry\.terraform\.io\/[^#}\s]+#(\w+) /;

const snake = (name) => name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

function referencedType(type) {
  if (!type) return undefined;
  if (type.fqn) return type.fqn.startsWith(jsii.name + ".") ? type.fqn : undefined;
  if (type.collection) return referencedType(type.collection.elementtype);
  if (type.union) return type.union.types.map(referencedType).find(Boolean);
  return undefined;
}

const memo = new Map();
function schemaOf(fqn) {
  if (memo.has(fqn)) return memo.get(fqn);
  const schema = {};
  memo.set(fqn, schema);
  for (const property of types[fqn]?.properties ?? []) {
    const docs = `${property.docs?.summary ?? ""} ${property.docs?.remarks ?? ""}`;
    const name = (docs.match(anchor)?.[1] ?? snake(property.name)).toLowerCase();
    const nested = referencedType(property.type);
    schema[name] = nested && types[nested]?.kind === "interface"
      ? { required: !property.optional, nested: schemaOf(nested) }
      : { required: !property.optional };
  }
  return schema;
}

let version;
const resources = {};
const data = {};
for (const [fqn, type] of Object.entries(types)) {
  if (type.kind !== "class") continue;
  const match = (type.docs?.summary ?? "").match(represents);
  if (!match || !types[fqn + "Config"]) continue;
  version = match[1];
  (match[2] === "resources" ? resources : data)[match[3]] = schemaOf(fqn + "Config");
}
process.stdout.write(JSON.stringify({ package: `${jsii.name}@${jsii.version}`, version, resources, data }));
