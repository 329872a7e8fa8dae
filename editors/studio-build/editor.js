// The policy editor of `policylang studio`: CodeMirror 6 with a simple mode for policylang.
// Diagnostics, quick fixes, completion and hover come from the studio's HTTP endpoints
// (the shared language services, policylang.editing); this file only wires them in.
// Build: npm ci && npm run build  (writes src/policylang/studio/static/editor.js)
import {EditorState} from "@codemirror/state";
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
        drawSelection, hoverTooltip} from "@codemirror/view";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching} from "@codemirror/language";
import {linter, lintGutter, forceLinting} from "@codemirror/lint";
import {autocompletion, completionKeymap} from "@codemirror/autocomplete";
import {searchKeymap, highlightSelectionMatches} from "@codemirror/search";

const KEYWORDS = new Set(("after all and applies as ascending at benefit by cite day days default define " +
  "descending direction document down effect effective else empty exemption expect extends false field for " +
  "if in is jurisdiction least less month months more most nearest no not note of ok or order override " +
  "parameter penalty per percent policy precedence prerequisite priority promotion provision quota repeal " +
  "require requires rounded rule rules sample school set source status teacher test than then to true unmet " +
  "until up when where with year years").split(" "));
const DECLS = new Set(("policy extends source field parameter define rule exemption precedence prerequisite " +
  "penalty benefit quota provision priority repeal sample test override").split(" "));

// A stream mode: comments, strings, dates, numbers, declaration keywords, keywords, names.
const policylang = StreamLanguage.define({
  name: "policylang",
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^#.*/)) return "comment";
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^\d{4}-\d{2}-\d{2}/)) return "number";
    if (stream.match(/^\d+(\.\d+)?%?/)) return "number";
    const word = stream.match(/^[\p{L}_][\p{L}\p{N}_\-]*/u);
    if (word) {
      const w = word[0];
      if (DECLS.has(w) && stream.column() === 0) return "keyword";
      if (KEYWORDS.has(w)) return "keyword";
      return "variableName";
    }
    if (stream.match(/^(>=|<=|!=|=|<|>|\+|-|\*|\/)/)) return "operator";
    stream.next();
    return null;
  },
  languageData: {commentTokens: {line: "#"}},
});

// services: {diagnostics(text) -> [{from,to,severity,message,code,fixes:[{title,edits:[{from,to,text}]}]}],
//            complete(text, offset, afterSpace) -> {from, options:[{label,detail,type,apply}]},
//            hover(text, offset) -> {from,to,html} | null, onChange(text)}
export function create(parent, text, services) {
  const lint = linter(async (view) => {
    const found = await services.diagnostics(view.state.doc.toString());
    const length = view.state.doc.length;
    return found.map((d) => ({
      from: Math.min(d.from, length), to: Math.min(Math.max(d.to, d.from), length),
      severity: d.severity, message: d.message, source: d.code,
      actions: (d.fixes || []).map((fix) => ({
        name: fix.title,
        apply(v) { v.dispatch({changes: fix.edits.map((e) => ({from: e.from, to: e.to, insert: e.text}))}); },
      })),
    }));
  }, {delay: 350});
  const complete = autocompletion({override: [async (context) => {
    const word = context.matchBefore(/[\p{L}\p{N}_\-.]*/u);
    // just after a space, only what the words before call for (`cite `, `post = `, `6 `): the server says
    const afterSpace = !context.explicit && (!word || word.from === word.to)
      && context.state.sliceDoc(context.pos - 1, context.pos) === " ";
    if (!context.explicit && !afterSpace && (!word || word.from === word.to)) return null;
    const found = await services.complete(context.state.doc.toString(), context.pos, afterSpace);
    if (!found || !found.options.length) return null;
    return {from: word ? word.from : context.pos, options: found.options, validFor: /^[\p{L}\p{N}_\-]*$/u};
  }]});
  const hover = hoverTooltip(async (view, pos) => {
    const found = await services.hover(view.state.doc.toString(), pos);
    if (!found) return null;
    return {pos: found.from, end: found.to, above: true, create() {
      const dom = document.createElement("div");
      dom.className = "cm-policy-hover";
      dom.innerHTML = found.html;  // built by the server from escaped text
      return {dom};
    }};
  });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), highlightActiveLine(),
        bracketMatching(), highlightSelectionMatches(), policylang, syntaxHighlighting(defaultHighlightStyle),
        lintGutter(), lint, complete, hover, EditorView.lineWrapping,
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...searchKeymap]),
        EditorView.updateListener.of((u) => { if (u.docChanged && services.onChange) services.onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(t) { view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: t}}); },
    relint() { forceLinting(view); },
    goto(offset) {
      view.dispatch({selection: {anchor: Math.min(offset, view.state.doc.length)}, scrollIntoView: true});
      view.focus();
    },
  };
}
