/**
 * `/docs`: a small, self-contained page that renders `/openapi.json` (operations by tag, their
 * roles, parameters, bodies and answers, then the schemas). No CDN and no inline script, so it
 * works on a closed network under the Content-Security-Policy that helmet sets.
 */
/** The page of `/docs`. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passerelle API</title>
<link rel="icon" href="data:,">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f7f8fa; }
  header, main { max-width: 1000px; margin: 0 auto; padding: 0 20px; }
  header { padding-top: 24px; }
  h1 { margin-bottom: 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #d7dbe3; }
  .operation { background: #fff; border: 1px solid #d7dbe3; border-radius: 6px; margin: 10px 0; }
  .operation > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; }
  .operation > div { padding: 0 12px 12px; }
  .method { font: bold 12px monospace; text-transform: uppercase; min-width: 48px; }
  .get { color: #0a6b3d; } .post { color: #1d4fb8; } .put { color: #8a5300; }
  .path { font-family: monospace; font-weight: 600; }
  .roles { font-size: 13px; color: #5a6275; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  td, th { text-align: left; border-bottom: 1px solid #eceef3; padding: 4px 6px; vertical-align: top; }
  pre { background: #f1f3f7; padding: 8px; overflow: auto; font-size: 12px; max-height: 420px; }
  a { color: #1d4fb8; }
</style>
</head>
<body>
<header>
  <h1>Passerelle API</h1>
  <p id="info">Loading <a href="/openapi.json">/openapi.json</a>…</p>
</header>
<main id="content"></main>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

// Runs in the browser: builds the page with textContent only, so no text of the document is parsed as HTML.
/** The script of `/docs/docs.js`. */
export const DOCS_SCRIPT = `'use strict';
(async function renderDocumentation() {
  const element = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  };
  const info = document.getElementById('info');
  const content = document.getElementById('content');
  let documentBody;
  try {
    const response = await fetch('/openapi.json');
    documentBody = await response.json();
  } catch (error) {
    info.textContent = 'Could not load /openapi.json: ' + error;
    return;
  }
  info.textContent = documentBody.info.description + ' Version ' + documentBody.info.version + ', OpenAPI ' + documentBody.openapi + '. ';
  info.append(element('a', { href: '/openapi.json' }, 'Raw document'));
  const schemaBlock = (schema) => element('pre', {}, JSON.stringify(schema, null, 2));
  const schemaLink = (schema) => {
    const ref = schema && schema.$ref;
    return ref ? element('a', { href: '#schema-' + ref.split('/').pop() }, ref.split('/').pop()) : schemaBlock(schema);
  };
  const tags = documentBody.tags.map((tag) => tag.name);
  for (const tag of tags) {
    const section = element('section', {}, element('h2', {}, tag));
    for (const [path, operations] of Object.entries(documentBody.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.tags.includes(tag)) continue;
        const body = element('div');
        if (operation.description) body.append(element('p', {}, operation.description));
        if (operation.parameters) {
          const rows = operation.parameters.map((parameter) =>
            element('tr', {}, element('td', {}, parameter.name), element('td', {}, parameter.in), element('td', {}, parameter.required ? 'required' : 'optional'), element('td', {}, parameter.description || ''), element('td', {}, schemaBlock(parameter.schema))));
          body.append(element('h4', {}, 'Parameters'), element('table', {}, element('tr', {}, element('th', {}, 'name'), element('th', {}, 'in'), element('th', {}, ''), element('th', {}, ''), element('th', {}, 'schema')), ...rows));
        }
        if (operation.requestBody) {
          const [mediaType, media] = Object.entries(operation.requestBody.content)[0];
          body.append(element('h4', {}, 'Body (' + mediaType + (operation.requestBody.required ? ', required' : ', optional') + ')'), schemaLink(media.schema));
        }
        const responses = Object.entries(operation.responses).map(([status, response]) => {
          const resolved = response.$ref ? documentBody.components.responses[response.$ref.split('/').pop()] : response;
          const media = resolved.content ? Object.entries(resolved.content)[0] : undefined;
          return element('tr', {}, element('td', {}, status), element('td', {}, resolved.description), element('td', {}, media ? media[0] : ''), element('td', {}, media ? schemaLink(media[1].schema) : ''));
        });
        body.append(element('h4', {}, 'Responses'), element('table', {}, ...responses));
        const roles = operation['x-roles'] ? 'roles: ' + operation['x-roles'].join(', ') : 'public';
        const summary = element('summary', {}, element('span', { class: 'method ' + method }, method), element('span', { class: 'path' }, path), element('span', {}, operation.summary), element('span', { class: 'roles' }, roles));
        section.append(element('details', { class: 'operation', id: operation.operationId }, summary, body));
      }
    }
    content.append(section);
  }
  const schemas = element('section', {}, element('h2', {}, 'Schemas'));
  for (const [name, schema] of Object.entries(documentBody.components.schemas)) {
    schemas.append(element('details', { class: 'operation', id: 'schema-' + name }, element('summary', {}, element('span', { class: 'path' }, name)), element('div', {}, schemaBlock(schema))));
  }
  content.append(schemas);
  const openTarget = () => location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))?.setAttribute('open', '');
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
`;
