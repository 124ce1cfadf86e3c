import { createHash } from 'node:crypto';

/**
 * An interactive API reference that loads nothing from the internet (clients here have none): it reads
 * /openapi.json, lists every operation with its roles, parameters and schemas, and can send a request
 * with a token kept in this tab only. Everything from the spec is inserted as text, never as HTML.
 */
const script = `
const $ = (tag, props = {}, ...children) => { const el = document.createElement(tag); Object.assign(el, props); el.append(...children); return el; };
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('recordkeeper-token') || '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('recordkeeper-token', tokenInput.value.trim()));
const pretty = (value) => JSON.stringify(value, null, 2);
function resolve(spec, schema, depth = 0) {
  if (!schema || depth > 6) return schema;
  if (schema.$ref) return resolve(spec, spec.components?.schemas?.[schema.$ref.split('/').pop()], depth + 1);
  if (Array.isArray(schema)) return schema.map((item) => resolve(spec, item, depth + 1));
  if (typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolve(spec, value, depth + 1)]));
}
function operationCard(spec, path, method, op) {
  const params = (op.parameters || []).filter((p) => p.in === 'path' || p.in === 'query');
  const inputs = new Map();
  const form = $('div', { className: 'try' });
  for (const p of params) {
    const input = $('input', { placeholder: p.name + (p.required ? ' (required)' : '') });
    inputs.set(p, input);
    form.append($('label', {}, p.in + ' ' + p.name + ' ', input));
  }
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const body = bodySchema ? $('textarea', { rows: 6, value: pretty(resolve(spec, bodySchema)?.example ?? {}) }) : null;
  if (body) form.append($('label', {}, 'JSON body', body));
  const output = $('pre', { className: 'out' });
  const send = $('button', { textContent: 'Send' });
  send.addEventListener('click', async () => {
    let url = path;
    const query = new URLSearchParams();
    for (const [p, input] of inputs) {
      if (!input.value) continue;
      if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(input.value));
      else query.set(p.name, input.value);
    }
    if ([...query].length) url += '?' + query;
    const headers = {};
    if (tokenInput.value.trim()) headers.authorization = 'Bearer ' + tokenInput.value.trim();
    if (body) headers['content-type'] = 'application/json';
    output.textContent = '…';
    try {
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
      const text = await response.text();
      let shown = text;
      try { shown = pretty(JSON.parse(text)); } catch {}
      output.textContent = response.status + ' ' + response.statusText + '\\n' + shown;
    } catch (error) { output.textContent = String(error); }
  });
  form.append(send, output);
  const roles = op.security && op.security.length === 0 ? 'public' : (op['x-roles'] || []).join(', ') || 'nobody';
  const details = $('details', { className: 'op' },
    $('summary', {}, $('span', { className: 'method ' + method, textContent: method.toUpperCase() }), ' ', $('code', { textContent: path }), ' ', $('span', { textContent: op.summary || '' })),
    $('p', { className: 'roles', textContent: 'Roles: ' + roles + (op['x-audit-activity'] ? ' · audited as ' + op['x-audit-activity'] : '') }),
    $('p', { textContent: op.description || '' }));
  if (params.length) details.append($('h4', { textContent: 'Parameters' }), $('pre', { textContent: pretty(params.map((p) => ({ name: p.name, in: p.in, required: !!p.required, schema: resolve(spec, p.schema) }))) }));
  if (bodySchema) details.append($('h4', { textContent: 'Request body' }), $('pre', { textContent: pretty(resolve(spec, bodySchema)) }));
  details.append($('h4', { textContent: 'Responses' }), $('pre', { textContent: Object.entries(op.responses || {}).map(([code, r]) => code + ' ' + (r.description || '')).join('\\n') }));
  details.append($('h4', { textContent: 'Try it' }), form);
  return details;
}
fetch('/openapi.json').then((r) => r.json()).then((spec) => {
  document.getElementById('title').textContent = spec.info.title + ' ' + spec.info.version;
  document.getElementById('description').textContent = spec.info.description || '';
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operationCard(spec, path, method, op));
    }
  }
  const main = document.getElementById('operations');
  for (const [tag, cards] of [...byTag].sort(([a], [b]) => a.localeCompare(b))) main.append($('h2', { textContent: tag }), ...cards);
}).catch((error) => { document.getElementById('operations').textContent = 'Could not load /openapi.json: ' + error; });
`;

const style = `
body { font: 14px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem; color: #1d232a; }
header { display: flex; gap: 1rem; align-items: center; justify-content: space-between; flex-wrap: wrap; }
input, textarea { font: 13px ui-monospace, monospace; width: 100%; box-sizing: border-box; }
#token { width: 28rem; }
.op { border: 1px solid #d5dbe1; border-radius: 6px; margin: .4rem 0; padding: .3rem .8rem; }
.op summary { cursor: pointer; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 600; }
.get { color: #1b6ac9; } .post { color: #1f8a4c; } .put { color: #a86b00; } .delete { color: #c0392b; } .patch { color: #7d3cc0; }
.roles { color: #56606b; }
pre { background: #f5f7f9; padding: .5rem; overflow: auto; max-height: 24rem; }
.try label { display: block; margin: .3rem 0; }
`;

const scriptHash = createHash('sha256').update(script).digest('base64');
const styleHash = createHash('sha256').update(style).digest('base64');

/** Allows exactly this page's own script and style, and requests to this origin only. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'sha256-${scriptHash}'`,
  `style-src 'sha256-${styleHash}'`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recordkeeper API reference</title>
<style>${style}</style>
</head>
<body>
<header>
  <h1 id="title">Recordkeeper API</h1>
  <label>Bearer token <input id="token" type="password" autocomplete="off" placeholder="rk_… (kept in this tab only)"></label>
</header>
<p id="description"></p>
<p>The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<main id="operations">Loading…</main>
<script>${script}</script>
</body>
</html>
`;
