// Parses every .tf file under a folder with HashiCorp's HCL parser (@cdktf/hcl2json, installed by
// ./test.sh into .test-tools) and prints {"relative/path.tf": <HCL as JSON>, ...}.
// usage: node hcl2json.mjs <repository root> <folder>
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

const [root, folder] = process.argv.slice(2);
const { parse } = createRequire(join(root, ".test-tools", "package.json"))("@cdktf/hcl2json");

function* tfFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue; // .terraform and other local state
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tfFiles(path);
    else if (entry.name.endsWith(".tf")) yield path;
  }
}

const result = {};
for (const file of [...tfFiles(folder)].sort()) {
  const name = relative(folder, file).split("\\").join("/");
  try {
    result[name] = await parse(name, readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${name}: ${e.message ?? e}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(result));
