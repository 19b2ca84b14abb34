// Vendors NL Design System CSS: @utrecht/component-library-css at a pinned version, reduced to
// the components Leerpad's pages use (the whole library is ~400 KB; a page may weigh 100 KiB).
//
// Usage, from this directory:  node update.mjs 9.0.4
// It runs `npm pack` (the npm registry), keeps html.css (plain HTML elements inside
// `.utrecht-html`) and the rules of COMPONENTS from index.css, and writes
// utrecht-components.css, LICENCE.md and VERSION. Then update the version in README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE = '@utrecht/component-library-css';
const COMPONENTS = ['alert', 'button', 'data-badge', 'page-footer', 'page-header'];

const version = process.argv[2];
if (!version) {
  console.error('usage: node update.mjs VERSION');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'utrecht-'));
const tgz = execFileSync('npm', ['pack', '--silent', `${PACKAGE}@${version}`], { cwd: tmp })
  .toString().trim().split('\n').pop();
execFileSync('tar', ['xzf', tgz], { cwd: tmp });
const dist = path.join(tmp, 'package', 'dist');

/// Top-level blocks of a stylesheet: [prelude, body] for rules and at-rules, comments dropped.
function blocks(css) {
  const out = [];
  let i = 0;
  while (i < css.length) {
    if (css.startsWith('/*', i)) { i = css.indexOf('*/', i) + 2; continue; }
    if (/\s/.test(css[i])) { i += 1; continue; }
    const open = css.indexOf('{', i);
    const semi = css.indexOf(';', i);
    if (semi !== -1 && (open === -1 || semi < open)) { out.push([css.slice(i, semi + 1).trim(), null]); i = semi + 1; continue; }
    let depth = 0;
    let j = open;
    for (; j < css.length; j += 1) {
      if (css[j] === '{') depth += 1;
      else if (css[j] === '}') { depth -= 1; if (depth === 0) break; }
    }
    out.push([css.slice(i, open).trim(), css.slice(open + 1, j)]);
    i = j + 1;
  }
  return out;
}

const wanted = (selector) => COMPONENTS.some((c) =>
  new RegExp(`\\.utrecht-${c}(?![a-z0-9]|-[a-z0-9])`).test(selector));

function keep(css) {
  let out = '';
  for (const [prelude, body] of blocks(css)) {
    if (body === null) continue;
    if (prelude.startsWith('@')) {
      const inner = keep(body);
      if (inner) out += `${prelude} {\n${inner}}\n`;
    } else if (prelude.split(',').some(wanted)) {
      out += `${prelude} {${body}}\n`;
    }
  }
  return out;
}

const header = `/* ${PACKAGE}@${version}, EUPL-1.2 (LICENCE.md), Copyright (c) 2020-2024 Frameless B.V.,
   Copyright (c) 2021-2024 Gemeente Utrecht. Reduced by update.mjs to html.css and the components
   ${COMPONENTS.join(', ')}. Do not edit: run \`node update.mjs VERSION\`. */\n`;
const components = keep(fs.readFileSync(path.join(dist, 'index.css'), 'utf8'));
// html.css is kept whole.
const htmlAll = blocks(fs.readFileSync(path.join(dist, 'html.css'), 'utf8'))
  .filter(([, body]) => body !== null)
  .map(([p, b]) => `${p} {${b}}\n`).join('');
fs.writeFileSync(path.join(here, 'utrecht-components.css'), header + htmlAll + components);
fs.copyFileSync(path.join(tmp, 'package', 'LICENSE.md'), path.join(here, 'LICENCE.md'));
fs.writeFileSync(path.join(here, 'VERSION'), `${PACKAGE}@${version}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`utrecht-components.css: ${(header + htmlAll + components).length} bytes from ${PACKAGE}@${version}`);
