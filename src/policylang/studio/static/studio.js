// policylang studio: the page. Every answer comes from the studio's JSON endpoints (app.py);
// this file only shows them. Text from the server is put in the page as text, never as markup,
// except the hover (escaped by the server) and the what-if report (in a sandboxed frame).
"use strict";

const WORDS = {
  title: ["政策工作台", "Policy studio"], file: ["政策文件", "Policy file"], save: ["保存", "Save"],
  format: ["格式化", "Format"], problems: ["问题", "Problems"], tab_tests: ["测试", "Tests"],
  tab_person: ["试算一人", "Try one person"], tab_roster: ["名册与结论", "Roster"],
  tab_whatif: ["调整影响", "What-if"], tab_source: ["原文对照", "Source"], run_tests: ["运行测试", "Run tests"],
  person_note: ["填写或修改一名教师的信息，结论随输入即时更新。", "Fill in one teacher; the decision follows as you type."],
  large_note: ["名册较大（上万人）时，请在 Excel/WPS 中另存为 CSV 再上传，读取快得多。",
    "For a large roster (tens of thousands), save it as CSV in Excel or WPS first: it is read far faster."],
  assume: ["名册缺少的列按此取值", "Values for columns the roster lacks"],
  assume_hint: ["例如：孕期=否，哺乳期=否", "e.g. pregnant=no, nursing=no"],
  teachers_file: ["教师名册", "Teachers file"], choose: ["选择文件", "Choose a file"], schools_file: ["学校名册", "Schools file"],
  download: ["下载结论（XLSX）", "Download decisions (XLSX)"], download_csv: ["下载 CSV", "Download CSV"],
  preparing: ["正在生成文件……", "Preparing the file…"], roster_problems: ["名册问题", "Roster problems"],
  search: ["搜索工号或姓名", "Search id or name"], parameter: ["参数", "Parameter"], by_school: ["按学校", "By school"],
  base: ["对比基准", "Compare with"], run_whatif: ["生成影响报告", "Make the report"],
  whatif_note: ["报告中的草案（编辑器中的文本）在拖动上方滑块后按滑块的取值计算，未拖动时按文件所写；对比基准按其文件所写。",
    "The report decides the draft (the text in the editor) at the slider's value above once it is moved, else as "
    + "written; the base as its file is written."], source: ["来源", "Source"],
  source_file: ["原文文件（.txt）", "Document file (.txt)"],
  paste: ["在此粘贴政策原文，每段一行或以空行分段", "Paste the document here, a paragraph per line or between blank lines"],
  run_source: ["对照", "Show beside the rules"], saved: ["已保存", "Saved"], unsaved: ["未保存", "Unsaved"],
  unchanged: ["未修改", "No changes"], saved_broken: ["已保存（文件有错误，修正前不能使用）", "Saved (the file has errors: it cannot be used until they are fixed)"],
  discard: ["当前文件有未保存的修改，确定放弃这些修改并打开其他文件吗？",
    "This file has unsaved changes. Discard them and open the other file?"],
  no_problems: ["没有问题", "No problems"], errors: ["个错误", " error(s)"], warnings: ["个警告", " warning(s)"],
  fix: ["修正", "Fix"], passed: ["通过", "passed"], failed: ["未通过", "failed"],
  all_status: ["全部结论", "All statuses"], all_schools: ["全部学校", "All schools"],
  all_rules: ["全部规则", "All rules"], id: ["工号", "Id"], name: ["姓名", "Name"], school: ["学校", "School"],
  status: ["结论", "Status"], rule: ["依据规则", "Rule"], exemption: ["豁免情形", "Exemption"],
  cite: ["政策出处", "Cited"], page: ["第 {p} / {n} 页（共 {t} 人）", "Page {p} of {n} ({t} people)"],
  read: ["读取 {r} 名教师，{v} 名有效，{k} 处问题", "{r} teachers read, {v} valid, {k} problem(s)"],
  need_roster: ["请上传教师名册和学校名册。", "Upload the teachers and the schools files."],
  no_policy: ["政策有错误，请先修正。", "The policy has errors; fix them first."],
  stale: ["政策有错误，请先修正；下表为上次无误时的结论，不是当前文本的结论。",
    "The policy has errors; fix them first. The table below is from the last text without errors, not this one."],
  before: ["原值", "before"], after: ["新值", "after"], change: ["变化", "change"], total: ["合计", "Total"],
  ms: ["用时 {ms} 毫秒", "{ms} ms"],
  same_text: ["当前文本：滑块取值与原值对比", "this text: the slider's value against its own"],
  uncited: ["未被引用", "not cited"], repealed: [" 已废止", " repealed"], rewritten: [" 已由本政策改写", " rewritten by this policy"],
  now_under: ["（现依据 {cites}）", " (now under {cites})"], because: ["（{reason}）", " ({reason})"],
  repeals: ["废止 ", "repeals "], under: ["依据 {cites}", "under {cites}"], semicolon: ["；", "; "], below: ["下文条款引用：{ids}", "cited below: {ids}"], above: ["上文条款引用：{ids}", "cited above: {ids}"], paragraphs: ["{n} 段，其中 {u} 段未被任何条款引用", "{n} paragraphs, {u} cited by no clause"],
  uncertain: ["（数据不全待核实：{f}）", " (incomplete, to be checked: {f})"],
  uncertain_why: ["名册中该项为空（读取它的条款无法判断），或只给出年月（该月中另一天可能改变结论）", "The roster leaves it empty (a rule reading it cannot be decided), or gives only a year and month (another day of it could change the decision)"],
  yes: ["是", "yes"], no: ["否", "no"], row: ["第 {n} 行", "row {n}"], sheet: ["工作表“{s}”", "sheet `{s}`"], column: ["列“{c}”", "column `{c}`"],
  uploading: ["正在读取名册……", "Reading the roster…"],
  checking: ["正在检查政策……", "Checking the policy…"],
  still_using: ["仍在使用上一次上传的“{f}”。", "Still using the file uploaded before, `{f}`."],
  as_of: ["参考日期", "Reference date"],
  as_of_hint: ["年龄、任教年限等按此日计算；留空则按政策文件的 as of",
    "Ages and years are counted at this date; empty: the policy file's as of"],
  as_of_own: ["（政策文件的参考日期：{d}）", "(the policy file's: {d})"],
  as_of_example: ["如 2026-09-01", "e.g. 2026-09-01"], as_of_used: ["参考日期 {d}", "reference date {d}"],
  as_of_before: ["提示：{note}（可在上方“参考日期”中另填日期）", "Note: {note} (the reference date box above gives another date)"],
  no_source: ["该政策没有声明来源", "The policy declares no source"],
  // CodeMirror's own way out of the editor (Tab indents in it): Esc, then Tab within two seconds
  editor_hint: ["按 Esc 再按 Tab 可离开编辑器", "Press Esc, then Tab, to leave the editor"],
  splitter: ["编辑器与右侧面板的分隔线", "Divider between the editor and the panels"],
  splitter_hint: ["拖动（或用左右方向键）调整编辑器与右侧面板的宽度", "Drag it (or use the arrow keys) to share the width"],
  tests_summary: ["通过 {p} 项，未通过 {f} 项", "{p} passed, {f} failed"],  // as `policylang test` says it
  tests_empty: ["，未检验任何结论 {n} 项", ", {n} asserting nothing"],
  tests_stale: ["政策已修改，请重新运行测试；下列结果是修改前的文本的。",
    "The policy has changed: run the tests again. The results below are of the text before the change."],
  unsaved_download: ["编辑器中有未保存的修改：下载的结论按编辑器中的文本作出，与磁盘上的“{f}”不同（文件的“说明”表也注明了这一点）。",
    "The editor has unsaved edits: the decisions downloaded are those of the text in the editor, not of “{f}” as "
    + "saved (the file's about sheet says so too)."],
  close: ["关闭", "Close"], explanation: ["解释", "Explanation"],
  close_hint: ["关闭（Esc）", "Close (Esc)"],
  year_month_example: ["如 1985-03-01，或只填年月 1985-03", "e.g. 1985-03-01, or the year and month: 1985-03"],
};
const STATUSES = ["must_rotate", "eligible", "exempt", "not_eligible"];
const STATUS_WORDS = {must_rotate: ["须交流", "must rotate"], eligible: ["可交流", "eligible"],
  exempt: ["免于交流", "exempt"], not_eligible: ["不在交流范围", "not eligible"]};

// `policylang studio --lang en` opens the page as /?lang=en: that, then the reader's last choice, then Chinese
const askedLang = new URLSearchParams(location.search).get("lang");
if (askedLang === "en" || askedLang === "zh") localStorage.setItem("studio-lang", askedLang);
let lang = localStorage.getItem("studio-lang") === "en" ? "en" : "zh";
const state = {path: null, editor: null, savedText: "", ok: false, page: 0, pages: 1, files: [], formShape: "",
               sliderSeq: 0, decideSeq: 0, explained: null, tests: null,
               rosterVersion: undefined, rosterFiles: {}};  // the roster the page shows (another window may replace it)
const $ = (id) => document.getElementById(id);
const t = (key, vars = {}) => {
  let s = (WORDS[key] || [key, key])[lang === "zh" ? 0 : 1];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
};
const paren = (text, n) => (lang === "zh" ? `${text}（${n}）` : `${text} (${n})`);
const statusWord = (s) => (STATUS_WORDS[s] || [s, s])[lang === "zh" ? 0 : 1];
// a column the roster lacks is named by its key (pregnant); in Chinese by its Chinese name (孕期)
const columnName = (p) => (lang === "zh" && p.column_zh ? p.column_zh : p.column);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
};
const debounce = (fn, ms) => { let h; return (...a) => { clearTimeout(h); h = setTimeout(() => fn(...a), ms); }; };

class ApiError extends Error {
  constructor(errors) { super(errors.map((e) => e.message.en).join("; ")); this.errors = errors; }
  text() {
    return this.errors.map((e) => {
      const where = [e.file, e.sheet ? t("sheet", {s: e.sheet}) : null, e.at, e.row ? t("row", {n: e.row}) : null, e.column ? t("column", {c: columnName(e)}) : null]
        .filter(Boolean).join(" ");
      return `${where ? where + " " : ""}[${e.code}] ${lang === "zh" ? e.message.zh : e.message.en}`;
    }).join("\n");
  }
}

async function api(name, body = {}) {
  const response = await fetch(`/api/${name}`, {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body)});
  const data = await response.json().catch(() => ({errors: [{code: "S500", message: {en: "no answer", zh: "无响应"}}]}));
  if (!response.ok) throw new ApiError(data.errors || []);
  return data;
}
// values stated for columns the roster lacks (孕期=否，哺乳期=否), as --assume states them
function assumed() {
  const values = {};
  for (const item of $("assume").value.split(/[,，;；\n]/)) {
    const [name, ...rest] = item.split("=");
    if (name.trim() && rest.length) values[name.trim()] = rest.join("=").trim();
  }
  return values;
}
// the reference date asked for: every answer about people is at it (empty: the policy's own)
const withText = (extra = {}) => ({path: state.path, text: state.editor.text(), lang, assume: assumed(),
  as_of: $("as-of").value.trim() || undefined, roster_version: state.rosterVersion, ...extra});
function showError(target, err) {
  target.replaceChildren(el("pre", {class: "error-box"}, err instanceof ApiError ? err.text() : String(err)));
}

// ---- language --------------------------------------------------------------------------
function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = lang === "zh" ? "政策工作台 · policylang studio" : "Policy studio · policylang";
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-tp]")) node.placeholder = t(node.dataset.tp);
  for (const node of document.querySelectorAll("[data-tt]")) node.title = t(node.dataset.tt);
  for (const node of document.querySelectorAll("[data-tl]")) node.setAttribute("aria-label", t(node.dataset.tl));
  $("lang").textContent = lang === "zh" ? "English" : "中文";
}
// the editor's share of the width, 25% to 75%: dragged, or moved by the arrow keys; kept for the next visit
function setLeft(percent) {
  const share = Math.round(Math.min(75, Math.max(25, percent)));
  document.documentElement.style.setProperty("--left", `${share}%`);
  $("splitter").setAttribute("aria-valuenow", share);
  localStorage.setItem("studio-left", share);
}
setLeft(Number(localStorage.getItem("studio-left")) || 50);
$("splitter").addEventListener("pointerdown", (e) => {
  const splitter = $("splitter");
  splitter.setPointerCapture(e.pointerId);
  const move = (ev) => setLeft(100 * (ev.clientX - $("left").getBoundingClientRect().left) / document.querySelector("main").clientWidth);
  const stop = () => { splitter.removeEventListener("pointermove", move); splitter.removeEventListener("pointerup", stop); };
  splitter.addEventListener("pointermove", move);
  splitter.addEventListener("pointerup", stop);
});
$("splitter").addEventListener("keydown", (e) => {
  const step = {ArrowLeft: -5, ArrowRight: 5}[e.key];
  if (step) { e.preventDefault(); setLeft(Number($("splitter").getAttribute("aria-valuenow")) + step); }
});
$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("studio-lang", lang);
  applyLang();
  markSaved();
  closeExplanation(false);
  showTests();
  services.diagnostics(state.editor.text());  // the list in the new language (the underlines follow)
  state.editor.relint();
  refreshAll();
});

// ---- files and the editor ------------------------------------------------------------------
function setStatus(text) { $("status").textContent = text; }
// "saved" only once saved here: a file just opened is unchanged, not saved; a file saved with errors says so
function markSaved() {
  const unsaved = state.editor.text() !== state.savedText;
  if (unsaved) setStatus(t("unsaved"));
  else setStatus(!state.savedHere ? t("unchanged") : state.ok === false ? t("saved_broken") : t("saved"));
  // a download of unsaved text is not what `policylang eval` makes of the file: said beside the buttons
  const said = unsaved ? t("unsaved_download", {f: state.path}) : "";
  $("download-note").textContent = said;
  $("download-note").hidden = !unsaved;
  for (const id of ["download", "download-csv"]) {
    if (unsaved) $(id).title = said; else $(id).removeAttribute("title");
  }
}

async function openFile(path) {
  const response = await fetch(`/api/file?path=${encodeURIComponent(path)}`);
  const data = await response.json();
  if (!response.ok) { setStatus(new ApiError(data.errors).text()); return; }
  state.path = path;
  state.savedText = data.text;
  state.savedHere = false;
  state.checked = false;  // until its first check answers, the text is neither with nor without errors
  localStorage.setItem("studio-file", path);
  history.replaceState(null, "", `?file=${encodeURIComponent(path)}`);
  if (!state.editor) {
    state.editor = PolicyEditor.create($("editor"), data.text, services);
    window.studioEditor = state.editor;  // for the browser test and the console
    editorHint();
  } else {
    state.editor.setText(data.text);
  }
  state.tests = null;  // the results of another file's tests
  showTests();
  $("source-id").replaceChildren();  // another file's sources
  markSaved();
  await loadForm();
  refreshAll();
  if ($("tab-source").classList.contains("active")) listSources();
}

const services = {
  async diagnostics(text) {
    if (!state.path) return [];
    let found = [];
    try { found = (await api("check", {path: state.path, text, lang})).diagnostics; } catch (err) { setStatus(String(err)); }
    showDiagnostics(found);
    const ok = !found.some((d) => d.severity === "error");
    const changed = ok !== state.ok || !state.checked;
    state.ok = ok;
    state.checked = true;
    markSaved();  // a saved file's errors found after saving are said beside "saved"
    if (ok) refreshSoon(); else if (changed) refreshAll();
    return found;
  },
  async complete(text, offset, afterSpace) {
    try { return await api("complete", {path: state.path, text, offset, lang, after_space: afterSpace}); } catch { return null; }
  },
  async hover(text, offset) {
    try { return (await api("hover", {path: state.path, text, offset, lang})).hover; } catch { return null; }
  },
  onChange() { markSaved(); testsStale(); },
};

// Tab indents in the editor (CodeMirror's indentWithTab), so a keyboard user leaves it as CodeMirror's
// accessibility guide says, by Esc then Tab: said beside the editor while it has the focus, and read
// out with it (aria-describedby)
function editorHint() {
  const hint = $("editor-hint");
  state.editor.view.contentDOM.setAttribute("aria-describedby", "editor-hint");
  $("editor").addEventListener("focusin", () => hint.classList.add("shown"));
  $("editor").addEventListener("focusout", (e) => { if (!$("editor").contains(e.relatedTarget)) hint.classList.remove("shown"); });
}

function showDiagnostics(found) {
  found = [...found].sort((a, b) => a.line - b.line);  // in the text's order, as one reads it
  const list = $("diagnostics");
  const errors = found.filter((d) => d.severity === "error").length;
  const warnings = found.filter((d) => d.severity === "warning").length;
  list.replaceChildren(...found.map((d) => el("li", {class: d.severity, "data-code": d.code,
      onclick: () => state.editor.goto(d.from)},
    `${d.line}: [${d.code}] ${d.message}`,
    ...d.fixes.map((fix) => el("button", {class: "fix", onclick: (e) => {
      e.stopPropagation();
      state.editor.view.dispatch({changes: fix.edits.map((x) => ({from: x.from, to: x.to, insert: x.text}))});
    }}, `${t("fix")}${lang === "zh" ? "：" : ": "}${fix.title}`)))));
  if (!found.length) list.replaceChildren(el("li", {class: "none"}, t("no_problems")));
  document.querySelector("#problems h2").textContent =
    found.length ? paren(t("problems"), `${errors}${t("errors")}${lang === "zh" ? "，" : ", "}${warnings}${t("warnings")}`)
      : t("problems");
}

$("save").addEventListener("click", async () => {
  try {
    await fetch("/api/save", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({path: state.path, text: state.editor.text()})}).then(async (r) => {
      if (!r.ok) throw new ApiError((await r.json()).errors);
    });
    state.savedText = state.editor.text();
    state.savedHere = true;
    markSaved();
  } catch (err) { setStatus(err instanceof ApiError ? err.text() : String(err)); }
});
$("format").addEventListener("click", async () => {
  try { state.editor.setText((await api("format", withText())).text); }
  catch (err) { setStatus(err instanceof ApiError ? err.text() : String(err)); }
});
// unsaved text is not lost by opening another file or leaving the page without being asked
$("file").addEventListener("change", () => {
  if (state.editor.text() !== state.savedText && !confirm(t("discard"))) { $("file").value = state.path; return; }
  openFile($("file").value);
});
window.addEventListener("beforeunload", (e) => {
  if (state.editor && state.editor.text() !== state.savedText) e.preventDefault();
});

// ---- tabs -----------------------------------------------------------------------------------
function showTab(name) {
  for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.tab === name);
  for (const p of document.querySelectorAll(".panel")) p.classList.toggle("active", p.id === `tab-${name}`);
  localStorage.setItem("studio-tab", name);
}
for (const b of document.querySelectorAll(".tab")) {
  b.addEventListener("click", () => { showTab(b.dataset.tab); if (b.dataset.tab === "whatif") moveSlider();
    if (b.dataset.tab === "source") listSources(); });
}

// ---- tests ----------------------------------------------------------------------------------
$("run-tests").addEventListener("click", runTests);
async function runTests() {
  const text = state.editor.text();
  try {
    state.tests = {text, data: await api("tests", withText({text}))};
    showTests();
  } catch (err) { state.tests = null; showTests(); showError($("tests"), err); }
}
function showTests() {
  if (!state.tests) { $("tests").replaceChildren(); $("tests-summary").textContent = ""; testsStale(); return; }
  const data = state.tests.data;
  // worded here, not by the server: the page's language may change after the tests ran
  $("tests-summary").textContent = t("tests_summary", {p: data.passed, f: data.failed})
    + (data.asserts_nothing ? t("tests_empty", {n: data.asserts_nothing}) : "");
  $("tests").replaceChildren(...data.results.map((r) => el("li", {class: r.asserts_nothing ? "empty" : r.passed ? "pass" : "fail",
      onclick: () => state.editor.goto(lineOffset(r.line - 1))},
    `${r.line}: ${r.test}`, r.error ? el("div", {}, r.error_said || r.error) : null,
    ...r.said.map((said) => el("div", {}, said)))));  // worded on the server, as `policylang test` words it
  testsStale();
}
// results of a text other than the editor's are greyed and said to be out of date (undone, current again)
function testsStale() {
  const stale = !!state.tests && !!state.editor && state.editor.text() !== state.tests.text;
  $("tab-tests").classList.toggle("stale", stale);
  $("tests-stale").hidden = !stale;
}

// ---- one person -------------------------------------------------------------------------------
const SAMPLE = {id: "T1", name: "张老师", sex: "F", birth_date: "1978-05-01", school_id: "S1",
  school_start: "2015-09-01", work_start: "2000-09-01", post: "teacher", post_start: "2015-09-01", teaching: true,
  on_staff: true, title: "first", pregnant: false, rural_years: 0, weak_years: 0, schools_served: 1,
  "school.area": "urban", "school.stage": "primary", "school.staffing": "normal"};

async function loadForm() {
  let data;
  try { data = await api("form", withText()); } catch (err) { showError($("person-result"), err); return null; }
  state.form = data;
  $("as-of-own").textContent = data.as_of ? t("as_of_own", {d: data.as_of}) : "";
  const form = $("person-form");
  // the same fields as the form shows: it stays as it is, so a refresh (an edit checked, the date
  // changed) never takes the focus or a half-typed value from the person filling it in
  const shape = JSON.stringify([lang, data.fields]);
  if (shape === state.formShape && form.children.length) {
    fillParams(data.parameters);
    decideSoon();
    return data;
  }
  state.formShape = shape;
  const old = Object.fromEntries([...form.querySelectorAll("[name]")].map((i) => [i.name, i.value]));
  form.replaceChildren();
  for (const f of data.fields) {
    const key = (f.table === "school" ? "school." : "") + f.name;
    // a fresh form starts as the sample teacher, else as `try` and a test start (f.start: the server's)
    const value = key in old ? old[key] : (SAMPLE[key] ?? f.start ?? "");
    let input;
    if (f.kind === "enum") {
      input = el("select", {name: key}, el("option", {value: ""}, "—"),
        ...f.codes.map((c) => el("option", {value: c.code}, lang === "zh" ? c.zh : paren(c.code, c.zh))));
    } else if (f.kind === "bool") {
      input = el("select", {name: key}, el("option", {value: ""}, "—"), el("option", {value: "是"}, t("yes")),
        el("option", {value: "否"}, t("no")));
    } else if (f.year_month) {  // a year and month alone will do (1985-03), as its hint says: no date picker
      input = el("input", {name: key, type: "text", placeholder: t("year_month_example"), size: 24});
    } else {
      input = el("input", {name: key, type: f.kind === "date" ? "date" : f.kind === "number" ? "number" : "text"});
    }
    input.value = value === true ? "是" : value === false ? "否" : value;
    input.addEventListener("input", decideSoon);
    form.append(el("label", {class: f.read ? "read" : "", title: f.doc || ""},
      lang === "zh" ? f.zh : paren(f.name, f.zh)), input);
  }
  fillParams(data.parameters);
  decideSoon();
  return data;
}

const decideSoon = debounce(decideOne, 150);
async function decideOne() {
  if (!state.ok || !$("person-form").children.length) return;
  const teacher = {}, school = {};
  for (const input of $("person-form").querySelectorAll("[name]")) {
    if (input.name.startsWith("school.")) school[input.name.slice(7)] = input.value; else teacher[input.name] = input.value;
  }
  const seq = ++state.decideSeq;
  try {
    const data = await api("decide", withText({teacher, school}));
    if (seq !== state.decideSeq) return;
    $("person-result").replaceChildren(el("h3", {class: `status-${data.status}`}, data.status_label,
      ...uncertainMark(data.uncertain)),
      // a value to check (a start at the school before work), said as the roster's notes are
      ...data.notes.map((n) => el("p", {class: "warning", "data-code": n.code},
        `${lang === "zh" ? "提示 " : "note "}[${n.code}] ${lang === "zh" ? n.message.zh : n.message.en}`)),
      el("pre", {}, data.explanation.text));
  } catch (err) { if (seq === state.decideSeq) showError($("person-result"), err); }
}

// ---- roster -----------------------------------------------------------------------------------
for (const kind of ["teachers", "schools"]) {
  $(`upload-${kind}`).addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    $(`chosen-${kind}`).textContent = file.name;
    $("roster-summary").textContent = t("uploading");
    $("decisions").classList.add("stale");  // its rows are the roster being replaced: not explained until redrawn
    const r = await fetch(`/api/upload?kind=${kind}&name=${encodeURIComponent(file.name)}`,
      {method: "POST", body: file, headers: {"Content-Type": "application/octet-stream"}});
    if (!r.ok) {  // refused: the file in use stays, and is named so (not the one refused)
      const errors = await r.json().catch(() => ({errors: [{code: "S500", message: {en: "no answer", zh: "无响应"}}]}));
      const kept = state.rosterFiles[kind];
      $(`chosen-${kind}`).textContent = kept || "";
      e.target.value = "";
      showError($("roster-summary"), new ApiError(errors.errors || []));
      if (kept) $("roster-summary").append(el("p", {}, t("still_using", {f: kept})));
      if (state.rosterReady) await loadDecisions();  // the roster in use, drawn again (current)
      return;
    }
    state.page = 0;
    await loadRoster();
    moveSlider();
  });
}

async function loadRoster() {
  // the table stays, greyed and said to be the last text's: an error mid-edit does not empty the page
  if (!state.ok) $("decisions").classList.add("stale");  // (made current again once the rows are drawn)
  if (!state.ok) {
    $("roster-summary").textContent = t(!state.checked ? "checking" : $("decisions").tBodies[0].rows.length ? "stale" : "no_policy");
    return;
  }
  let summary;
  try { summary = await api("roster", withText()); } catch (err) {
    showError($("roster-summary"), err);
    $("decisions").classList.add("stale");  // (a date that is none): the table is the last answer's, greyed
    return;
  }
  for (const [kind, name] of Object.entries(summary.files)) $(`chosen-${kind}`).textContent = name;
  state.rosterVersion = summary.version;
  state.rosterFiles = summary.files;
  state.rosterReady = summary.ready;
  if (!summary.ready) { $("roster-summary").textContent = t("need_roster"); return; }
  $("roster-summary").textContent = Object.values(summary.files).join(lang === "zh" ? "，" : ", ") + (lang === "zh" ? "：" : ": ") +
    t("read", {r: summary.read, v: summary.valid, k: summary.problem_count}) +
    (summary.as_of ? (lang === "zh" ? "；" : "; ") + t("as_of_used", {d: summary.as_of}) : "");
  const box = $("roster-problems-box");
  const listed = [...summary.problems.map((p) => [p, "problem"]), ...summary.warnings.map((w) => [w, "warning"])];
  box.style.display = listed.length ? "" : "none";
  box.open = summary.problems.length > 0;
  box.querySelector("summary").textContent = paren(t("roster_problems"),
    `${summary.problem_count}${lang === "zh" ? " 处问题，" : " problem(s), "}${summary.warnings.length}${lang === "zh" ? " 条提示" : " note(s)"}`);
  $("roster-problems").replaceChildren(
    el("tr", {}, el("th", {}, lang === "zh" ? "文件" : "file"), el("th", {}, lang === "zh" ? "行" : "row"),
      el("th", {}, lang === "zh" ? "列" : "column"), el("th", {}, lang === "zh" ? "问题" : "problem")),
    ...listed.map(([p, kind]) => el("tr", {class: kind}, el("td", {}, [p.file, p.sheet ? t("sheet", {s: p.sheet}) : null].filter(Boolean).join(" ")),
      el("td", {}, p.rows_said ? p.rows_said[lang === "zh" ? "zh" : "en"]
        : p.row ?? (p.rows ? p.rows.join(lang === "zh" ? "、" : ", ") + (p.count > p.rows.length ? "…" : "") : "")),
      el("td", {}, p.column ? columnName(p) : ""), el("td", {}, `${kind === "warning" ? (lang === "zh" ? "提示 " : "note ") : ""}` +
        `[${p.code}] ${lang === "zh" ? p.message.zh : p.message.en}`))));
  await loadDecisions();
}

function filterOptions(select, first, options) {
  const keep = select.value;
  select.replaceChildren(el("option", {value: ""}, first), ...options.map(([v, label]) => el("option", {value: v}, label)));
  select.value = options.some(([v]) => v === keep) ? keep : "";
}

// a decision an empty value or another day of a year-month date's month could change: said beside its status
const uncertainMark = (fields) => fields ? [el("span", {class: "uncertain", title: t("uncertain_why")},
  t("uncertain", {f: fields}))] : [];
async function loadDecisions() {
  if (!state.ok) return;
  let data;
  try {
    data = await api("decisions", withText({query: $("search").value, status: $("filter-status").value,
      school: $("filter-school").value, rule: $("filter-rule").value, page: state.page, size: 50}));
  } catch (err) { explanationError(err); return; }
  filterOptions($("filter-status"), t("all_status"), STATUSES.map((s) => [s, paren(statusWord(s), data.counts[s])]));
  filterOptions($("filter-school"), t("all_schools"), data.schools.map((s) => [s.id, s.name ? `${s.id} ${s.name}` : s.id]));
  filterOptions($("filter-rule"), t("all_rules"), data.rules.map((r) => [r, r]));
  $("counts").replaceChildren(...STATUSES.map((s) => el("span", {class: `status-${s}`, "data-status": s},
    `${statusWord(s)} ${data.counts[s]}`)));
  const head = ["id", "name", "school", "status", "rule", "exemption", "cite"];
  $("decisions").tHead.replaceChildren(el("tr", {}, ...head.map((h) => el("th", {}, t(h)))));
  // a row takes the focus (Tab) and opens its explanation with Enter or Space, as a click does; the
  // table drawn again (a refresh), the row focused or explained stays so
  const focused = document.activeElement?.closest?.("#decisions tbody tr")?.dataset.row;
  $("decisions").tBodies[0].replaceChildren(...data.rows.map((r) => el("tr", {"data-row": r.row, tabindex: 0,
      class: String(r.row) === state.explained ? "explained" : null,
      onclick: () => explainRow(r.row),
      onkeydown: (e) => {
        if ((e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) {
          e.preventDefault();
          explainRow(r.row);
        }
      }},
    el("td", {}, r.id), el("td", {class: "name", title: r.name}, r.name),
    el("td", {class: "school", title: r.school_name || r.school_id}, r.school_name || r.school_id),
    el("td", {class: `status-${r.status}`}, r.status_label, ...uncertainMark(r.uncertain)), el("td", {class: "rule"}, r.rule),
    el("td", {class: "exemption"}, r.exemption),
    el("td", {}, r.cite.replaceAll(";", lang === "zh" ? "；" : "; ")))));
  if (focused !== undefined) rowElement(focused)?.focus();
  $("decisions").classList.remove("stale");  // the rows drawn are the roster's and the text's now
  state.pages = Math.max(1, Math.ceil(data.total / data.size));
  $("page").textContent = t("page", {p: data.page + 1, n: state.pages, t: data.total});
}
const loadDecisionsSoon = debounce(() => { state.page = 0; loadDecisions(); }, 250);
$("search").addEventListener("input", loadDecisionsSoon);
$("assume").addEventListener("change", () => { state.page = 0; loadRoster(); moveSlider(); });
for (const id of ["filter-status", "filter-school", "filter-rule"]) $(id).addEventListener("change", loadDecisionsSoon);
$("prev").addEventListener("click", () => { if (state.page > 0) { state.page--; loadDecisions(); } });
$("next").addEventListener("click", () => { if (state.page + 1 < state.pages) { state.page++; loadDecisions(); } });

async function explainRow(row) {
  if ($("decisions").classList.contains("stale")) return;  // an upload under way, or the policy has errors
  try {
    const data = await api("explain", withText({row}));
    showExplanation(String(row), el("h3", {}, `${data.id} ${data.name || ""}`), el("pre", {}, data.explanation.text));
  } catch (err) { explanationError(err); }
}
const rowElement = (row) => document.querySelector(`#decisions tbody tr[data-row="${CSS.escape(String(row))}"]`);
// the explanation sticks to the bottom of the panel: with a close button (and Esc), and never over
// the row it explains (the panel is scrolled to show the row above it). `row`: the row's number
function showExplanation(row, ...children) {
  const box = $("explanation");
  state.explained = row;
  for (const tr of document.querySelectorAll("#decisions tbody tr.explained")) tr.classList.remove("explained");
  const tr = row === null ? null : rowElement(row);
  if (tr) tr.classList.add("explained");
  box.replaceChildren(el("button", {class: "close", type: "button", title: t("close_hint"), "aria-label": t("close"),
    onclick: () => closeExplanation()}, "×"), ...children);
  if (!tr) return;
  const panel = $("tab-roster");
  const covered = tr.getBoundingClientRect().bottom - box.getBoundingClientRect().top;
  if (covered > 0) panel.scrollTop += covered + 8;
  const above = panel.getBoundingClientRect().top - tr.getBoundingClientRect().top;
  if (above > 0) panel.scrollTop -= above + 8;  // a tall explanation: the row at the panel's top
}
function explanationError(err) {
  showExplanation(null, el("pre", {class: "error-box"}, err instanceof ApiError ? err.text() : String(err)));
}
// `focus`: back to the row explained, where a keyboard user was (not when the page empties it)
function closeExplanation(focus = true) {
  const tr = state.explained === null || state.explained === undefined ? null : rowElement(state.explained);
  state.explained = null;
  $("explanation").replaceChildren();
  if (tr) tr.classList.remove("explained");
  if (focus && tr) tr.focus();
}
// Esc closes it, except in the editor, where Esc is the first half of Esc-then-Tab (leaving the editor)
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || !$("explanation").hasChildNodes() || e.target.closest(".cm-editor")) return;
  if (!$("tab-roster").classList.contains("active")) return;
  closeExplanation();
});

for (const [id, format] of [["download", "xlsx"], ["download-csv", "csv"]]) $(id).addEventListener("click", async () => {
  const button = $(id);
  button.disabled = true;
  setStatus(t("preparing"));
  let r;
  try {
    r = await fetch("/api/download", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(withText({format}))});
  } finally { button.disabled = false; markSaved(); }
  if (!r.ok) { explanationError(new ApiError((await r.json()).errors)); return; }
  const url = URL.createObjectURL(await r.blob());
  const a = el("a", {href: url, download: (lang === "zh" ? "交流结论." : "decisions.") + format});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

// ---- what-if ------------------------------------------------------------------------------------
let sliderMoved = false;  // since the parameter was chosen: a report against a base then uses its value
function fillParams(parameters) {
  // the numbers a clause in force reads; in Chinese each by what it is for, its name after it
  const numeric = parameters.filter((p) => p.number && p.read);
  const select = $("slider-param");
  const keep = select.value;
  select.replaceChildren(...numeric.map((p) => el("option", {value: p.name, "data-value": p.value},
    !p.doc ? p.name : lang === "zh" ? paren(p.doc, p.name) : paren(p.name, p.doc))));
  const preferred = numeric.find((p) => p.name === keep) || numeric.find((p) => p.name === "age_cap_female") || numeric[0];
  if (preferred) { select.value = preferred.name; sliderRange(preferred); }
}
function sliderRange(p) {
  const v = Number(p.value);
  const slider = $("slider");
  const age = /age/.test(p.name) && v >= 30 && v <= 70;
  slider.min = age ? 40 : Math.max(0, Math.floor(v - 10));
  slider.max = age ? 60 : Math.ceil(v + 10);
  slider.step = 1;
  slider.value = v;
  $("slider-value").textContent = v;
  sliderMoved = false;  // at the policy's own value (the slider's step and range may not hold it exactly)
}
$("slider-param").addEventListener("change", () => {
  const option = $("slider-param").selectedOptions[0];
  sliderRange({name: option.value, value: option.dataset.value});
  moveSlider();
});
// one request at a time: while one runs, only the slider's last position is sent after it
let sliderBusy = false, sliderAgain = false;
async function moveSliderNow() {
  if (sliderBusy) { sliderAgain = true; return; }
  sliderBusy = true;
  try { await sliderRequest(); } finally {
    sliderBusy = false;
    if (sliderAgain) { sliderAgain = false; moveSliderNow(); }
  }
}
const moveSlider = debounce(moveSliderNow, 30);
async function sliderRequest() {
  $("slider-value").textContent = $("slider").value;
  if (!state.ok || !$("slider-param").value) return;
  if (!state.rosterReady) {  // nothing to count: said here, with no request refused (a 409 in the console)
    $("slider-counts").replaceChildren(el("tr", {}, el("td", {}, t("need_roster"))));
    return;
  }
  const seq = ++state.sliderSeq;
  const started = performance.now();
  let data;
  try {
    data = await api("slider", withText({name: $("slider-param").value, value: Number($("slider").value)}));
  } catch (err) { if (seq === state.sliderSeq) showError($("slider-counts"), err); return; }
  if (seq !== state.sliderSeq) return;
  $("slider-value").textContent = data.value_said;  // with its unit (45周岁), once the server has it
  // changed decisions, and of them changed statuses, as `policylang diff` says it (the table shows statuses only)
  $("slider-time").textContent = `${data.changed_said} · ${t("ms", {ms: Math.round(performance.now() - started)})}`;
  const diff = (a, b) => { const d = b - a; return el("td", {class: d > 0 ? "up" : d < 0 ? "down" : ""}, d > 0 ? `+${d}` : d); };
  $("slider-counts").replaceChildren(el("tr", {}, el("th", {}, t("status")), el("th", {}, t("before")),
    el("th", {}, paren(t("after"), lang === "zh" ? data.value_said : `${data.name}=${data.value_said}`)), el("th", {}, t("change"))),
    ...STATUSES.map((s) => el("tr", {"data-status": s}, el("td", {class: `status-${s}`}, statusWord(s)),
      el("td", {}, data.statuses[s].before), el("td", {class: "after"}, data.statuses[s].after),
      diff(data.statuses[s].before, data.statuses[s].after))));
  $("slider-schools").replaceChildren(el("tr", {}, el("th", {}, t("school")),
    ...STATUSES.map((s) => el("th", {}, `${statusWord(s)} ${t("before")}→${t("after")}`))),
    ...data.schools.slice(0, 500).map((r) => el("tr", {}, el("td", {class: "school"}, r.name ? `${r.school} ${r.name}` : r.school),
      ...STATUSES.map((s) => el("td", {}, `${r["before:" + s]} → ${r["after:" + s]}`)))));
}
$("slider").addEventListener("input", () => {
  sliderMoved = true;
  $("slider-value").textContent = $("slider").value;
  moveSlider();
});

$("run-whatif").addEventListener("click", async () => {
  try {
    // the draft at the slider's value once it is moved, against a base file or against itself; against a
    // base, an unmoved slider leaves the draft as written (a 5.5 or an age of 35 the slider cannot show)
    const base = $("base").value, name = $("slider-param").value;
    const params = name && (sliderMoved || !base) ? {[name]: Number($("slider").value)} : {};
    const data = await api("whatif", withText({base, params}));
    $("report").srcdoc = data.html;
  } catch (err) {
    $("report").srcdoc = `<pre>${(err instanceof ApiError ? err.text() : String(err)).replace(/[<&]/g, (c) => c === "<" ? "&lt;" : "&amp;")}</pre>`;
  }
});

// ---- source beside the rules ----------------------------------------------------------------------
$("run-source").addEventListener("click", showSource);
// the file chosen is shown in the box, which is what is compared: a text pasted after it was passed over
// unseen for the file's; typing in the box then compares the box's text, the file unchosen
$("source-file").addEventListener("change", async () => {
  const file = $("source-file").value;
  if (!file) return;
  const response = await fetch(`/api/file?path=${encodeURIComponent(file)}`);
  const data = await response.json();
  if (!response.ok) { showError($("source-view"), new ApiError(data.errors)); return; }
  $("source-text").value = data.text;
  showSource();
});
$("source-text").addEventListener("input", () => { $("source-file").value = ""; });
// the file's sources listed as the tab opens, before any text is compared (the list was empty until 对照)
function listSources() { if ($("source-id").options.length <= 1) showSource(); }
async function showSource() {
  let data;
  try {
    data = await api("sources", withText({source: $("source-id").value, document: $("source-text").value,
      file: $("source-file").value}));
  } catch (err) { showError($("source-view"), err); $("source-unplaced").replaceChildren(); return; }
  filterOptions($("source-id"), "—", data.sources.map((s) => [s.id, `${s.id} ${s.title}`]));
  $("source-id").value = data.source;
  $("source-summary").textContent = data.paragraphs.length
    ? t("paragraphs", {n: data.paragraphs.length, u: data.uncited}) : "";
  $("source-view").replaceChildren(...data.paragraphs.map((p) => el("div", {class: `para ${p.cited ? "cited" : "uncited"}`},
    el("div", {class: "text"}, p.text),
    el("div", {class: "cites"}, p.clauses.length ? p.clauses.map((c) => clauseLink(c))
      : p.below.length ? el("span", {class: "below"}, t("below", {ids: p.below.join("、")}))
      : p.above.length ? el("span", {class: "below"}, t("above", {ids: p.above.join("、")})) : t("uncited")))));
  // citations of a section the text lacks: else the drafter takes every citation for matched
  $("source-unplaced").replaceChildren(...(data.unplaced.length ? [el("p", {class: "note"},
    paren(data.unplaced_said, data.unplaced.length)), ...data.unplaced.map((c) => clauseLink(c, true))] : []));
}
// a clause citing the source, a link to its line; `section`: with the section it cites
function clauseLink(c, section = false) {
  return el("a", {onclick: () => { if (c.line !== null) state.editor.goto(lineOffset(c.line)); }},
    ...(c.overridden_by ? [el("s", {}, `${c.id} ${c.title}`), el("span", {class: "repeal"}, t("rewritten")
      + (c.overridden_by.length ? t("now_under", {cites: c.overridden_by.join(t("semicolon"))}) : ""))]
      : c.repealed ? [c.by_repeal ? el("span", {class: "kind"}, t("repeals")) : null, el("s", {}, `${c.id} ${c.title}`),
      el("span", {class: "repeal"}, repealSaid(c))] : [`${c.id} ${c.title}`]),
    section && c.section ? el("span", {class: "section"}, ` ${c.section}`) : null);
}
// as `policylang doc` says it: beside the base's paragraph, the repeal's reason and the sections
// that repeal; beside the repealing document's own paragraph (the repeal itself), its reason
function repealSaid(c) {
  if (c.by_repeal) return c.reason ? t("because", {reason: c.reason}) : "";
  const said = [...(c.reason ? [c.reason] : []),
    ...(c.repeal_cites.length ? [t("under", {cites: c.repeal_cites.join("、")})] : [])];
  return t("repealed") + (said.length ? t("because", {reason: said.join(t("semicolon"))}) : "");
}
function lineOffset(line) {
  const text = state.editor.text();
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf("\n", offset) + 1;
  return offset;
}

// ---- refreshing what depends on the text ---------------------------------------------------------
// a reference date before the policy takes effect decides a day it was not in force: said above
// everything, in the words `--as-of` says it in (the server's)
async function loadReference() {
  let notes = [];
  try { notes = (await api("reference", withText())).notes; } catch { /* a date that is none: each panel says so */ }
  $("as-of-notes").replaceChildren(...notes.map((note) => el("div", {}, t("as_of_before", {note}))));
  $("as-of-notes").hidden = !notes.length;
}
async function refreshAll() {
  if (!state.path) return;
  if (state.ok) loadReference();
  if (state.ok) await loadForm();
  await loadRoster();
  if (state.ok) moveSlider();
}
const refreshSoon = debounce(refreshAll, 400);
$("as-of").addEventListener("change", () => { state.page = 0; closeExplanation(false); refreshAll(); });

async function start() {
  applyLang();
  showTab(localStorage.getItem("studio-tab") || "tests");
  const data = await api("files");
  state.files = data.files;
  const policies = data.files.filter((f) => f.endsWith(".pol"));
  $("file").replaceChildren(...policies.map((f) => el("option", {value: f}, f)));
  $("base").replaceChildren(el("option", {value: ""}, t("same_text")), ...policies.map((f) => el("option", {value: f}, f)));
  $("source-file").replaceChildren(el("option", {value: ""}, "—"),
    ...data.files.filter((f) => f.endsWith(".txt")).map((f) => el("option", {value: f}, f)));
  // the file asked for, else the one last opened here (a county's draft, not the first by name)
  const wanted = [new URLSearchParams(location.search).get("file"), localStorage.getItem("studio-file")];
  const first = wanted.find((f) => policies.includes(f)) || policies[0];
  if (first) { $("file").value = first; await openFile(first); }
}
start();
