-- Neovim (0.7 or later) configuration for policylang policy files: the filetype, and the
-- language server `policylang lsp` started for each .pol buffer. Put this file in your
-- config (e.g. ~/.config/nvim/plugin/policylang.lua), or `:luafile` it. See docs/editors.md.
local M = {}

M.command = { vim.env.POLICYLANG or "policylang", "lsp" }  -- a path if policylang is not on PATH
M.lang = vim.env.POLICYLANG_LSP_LANG  -- "zh" or "en"; nil: from the locale

vim.filetype = vim.filetype or {}
if vim.filetype.add then
  vim.filetype.add({ extension = { pol = "policylang" } })
else
  vim.cmd([[autocmd BufRead,BufNewFile *.pol setfiletype policylang]])
end

local clients = {}  -- one server per policy folder

function M.attach(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root = vim.fn.fnamemodify(name, ":p:h")
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "policylang",
      cmd = M.command,
      root_dir = root,
      init_options = { lang = M.lang },
    })
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  vim.bo[bufnr].commentstring = "# %s"
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "policylang",
  callback = function(args) M.attach(args.buf) end,
})

return M
