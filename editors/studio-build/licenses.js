// Writes THIRD_PARTY_LICENSES beside the built editor: the licence of every package bundled in it.
const fs = require("fs");
const path = require("path");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const out = ["Third-party software bundled in editor.js (policylang studio's editor), built by",
             "editors/studio-build (npm ci && npm run build). Each package's licence follows.", ""];
for (const [where, info] of Object.entries(lock.packages).sort()) {
  if (!where || info.dev) continue;
  const dir = path.join(where);
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  out.push("=".repeat(78), `${where.replace(/^node_modules\//, "")} ${info.version} (${info.license})`, "=".repeat(78));
  out.push(file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : `License: ${info.license}`, "");
}
fs.writeFileSync("../../src/policylang/studio/static/THIRD_PARTY_LICENSES", out.join("\n") + "\n");
