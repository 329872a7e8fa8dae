-- A headless Neovim session with policylang.lua: open a policy, wait for the server's
-- diagnostics, make a typo and take the quick fix, hover, go to definition, complete,
-- list the outline and format. Prints what it saw as JSON lines (tests/test_lsp.py runs it:
-- nvim --headless -u NONE -c "luafile editors/neovim/tryout.lua" FILE).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
local cfg = dofile(here .. "policylang.lua")
local out = {}
local function say(what, value) table.insert(out, vim.fn.json_encode({ what = what, value = value })) end
local function finish()
  vim.fn.writefile(out, vim.env.TRYOUT_OUT)
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = "policylang"
  local function diagnostics() return vim.diagnostic.get(bufnr) end
  vim.wait(20000, function() return #vim.lsp.buf_get_clients(bufnr) > 0 end)
  local client = vim.lsp.buf_get_clients(bufnr)[1] or select(2, next(vim.lsp.buf_get_clients(bufnr)))
  vim.wait(20000, function() return client and client.initialized end)
  say("server", client and client.name)
  -- the clean file publishes an empty list: wait a moment for it
  vim.wait(3000, function() return false end)
  say("diagnostics_on_open", #diagnostics())

  -- a typo: teacher_tenure -> teacher_tenur on the line of `tenure at least teacher_tenure`
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local row, col
  for i, line in ipairs(lines) do
    local s = line:find("at least teacher_tenure", 1, true)
    if s then row, col = i - 1, s - 1 + #"at least " break end
  end
  vim.api.nvim_buf_set_text(bufnr, row, col, row, col + #"teacher_tenure", { "teacher_tenur" })
  vim.wait(20000, function() return #diagnostics() > 0 end)
  local d = diagnostics()[1]
  say("diagnostic", { code = d and d.code, message = d and d.message, lnum = d and d.lnum, col = d and d.col })

  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } }
  params.context = { diagnostics = vim.lsp.diagnostic.from and {} or {} }
  local actions = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  local action = actions and select(2, next(actions)).result[1]
  say("code_action", action and action.title)
  vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  vim.wait(20000, function() return #diagnostics() == 0 end)
  say("diagnostics_after_fix", #diagnostics())
  say("line_after_fix", vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1])

  local pos = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = row, character = col + 2 } }
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", pos, 10000)
  say("hover", select(2, next(hover)).result.contents.value)
  local def = vim.lsp.buf_request_sync(bufnr, "textDocument/definition", pos, 10000)
  local locs = select(2, next(def)).result
  say("definition", vim.tbl_map(function(l) return vim.fn.fnamemodify(vim.uri_to_fname(l.uri), ":t") .. ":" .. (l.range.start.line + 1) end, locs))

  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { "", "rule XJ-9 \"试一试\"", "  when school." })
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  local comp = vim.lsp.buf_request_sync(bufnr, "textDocument/completion",
    { textDocument = pos.textDocument, position = { line = last, character = #"  when school." } }, 10000)
  local items = select(2, next(comp)).result.items
  local labels = {}
  for i = 1, math.min(#items, 6) do labels[i] = items[i].label end
  say("completion_after_school_dot", labels)
  vim.wait(20000, function() return #diagnostics() > 0 end)
  say("diagnostic_of_half_typed", diagnostics()[1] and diagnostics()[1].message)
  vim.api.nvim_buf_set_lines(bufnr, last - 2, last + 1, false, {})

  local symbols = vim.lsp.buf_request_sync(bufnr, "textDocument/documentSymbol", { textDocument = pos.textDocument }, 10000)
  local names = {}
  for _, s in ipairs(select(2, next(symbols)).result) do table.insert(names, s.detail:match("^%S+") .. " " .. s.name) end
  say("outline", names)

  -- a clause pushed six columns in, then the document formatted
  local cite
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find("^  cite ") then cite = i - 1 break end
  end
  vim.api.nvim_buf_set_text(bufnr, cite, 0, cite, 2, { "      " })
  say("line_before_format", vim.api.nvim_buf_get_lines(bufnr, cite, cite + 1, false)[1])
  local edits = vim.lsp.buf_request_sync(bufnr, "textDocument/formatting",
    { textDocument = pos.textDocument, options = { tabSize = 2, insertSpaces = true } }, 10000)
  vim.lsp.util.apply_text_edits(select(2, next(edits)).result, bufnr, "utf-16")
  say("line_after_format", vim.api.nvim_buf_get_lines(bufnr, cite, cite + 1, false)[1])
end)
if not ok then say("error", tostring(err)) end
finish()
