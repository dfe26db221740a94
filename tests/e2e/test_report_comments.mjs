// SPDX-License-Identifier: AGPL-3.0-or-later
// Browser test of the comments the final report quotes (issue #18): the
// console page listing the evaluation's comments passes axe-core (nothing
// serious or critical) and the Nu HTML checker, fits a phone, and choosing a
// comment with its button makes the report's preview quote it, exactly as
// written, while an unchosen one stays out.  Run by run.sh after tests.mjs,
// with the same server (AULA_URL) and data directory (AULA_E2E_DATA).
// Ends with "browser: N passed, N failed".
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = (process.env.AULA_URL || '').replace(/\/$/, '');
const DATA = process.env.AULA_E2E_DATA || '';
const OUT = process.env.AULA_E2E_OUT || path.resolve('test-output');
const ADMIN = { email: 'admin@example.org', password: 'e2e-password-123' };
const PAGE = '/admin/events/sela-2022/report/comments';
const CHOSEN = 'Las sesiones prácticas <b>valieron</b> la pena 🙂';
const OTHER = 'Faltó tiempo para las preguntas del público';

let passed = 0;
let failed = 0;
function report(name, error) {
  if (error) {
    failed++;
    console.log(`FAIL - ${name}\n  ${String(error.message || error).split('\n').join('\n  ')}`);
  } else {
    passed++;
    console.log(`ok - ${name}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(DATA, 'aula.db'), query],
    { encoding: 'utf8', timeout: 15_000 }).trim();
}
const quoted = (s) => `'${s.replace(/'/g, "''")}'`;

// Two anonymous answers to Techplomacy's questionnaire, stored as the
// evaluation stores them (random ids, no person).
function addAnswers() {
  for (const [id, text] of [[7300000000000000001n, CHOSEN], [7300000000000000002n, OTHER]]) {
    sql(`INSERT OR REPLACE INTO evaluation_response (id, questionnaire_id, enrolment_id, answers)
         SELECT ${id}, q.id, NULL, ${quoted(JSON.stringify({ improve: text }))}
         FROM questionnaire q JOIN course c ON c.id = q.course_id WHERE c.slug = 'techplomacy'`);
  }
}

async function signIn(context) {
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await page.getByLabel(/correo|email/i).fill(ADMIN.email);
  await page.getByLabel(/contraseña|password/i).fill(ADMIN.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main form:has(input[type=password]) button[type=submit]').click(),
  ]);
  return page;
}

async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

if (!BASE || !DATA) {
  console.log('FAIL - AULA_URL and AULA_E2E_DATA must be set (run.sh sets them)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}
let browser;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 30_000,
  });
  addAnswers();
  const htmlFiles = [];
  for (const [name, fn] of [
    ['comments page: no serious accessibility violation, fits a phone, in both languages', async () => {
      const problems = [];
      for (const [size, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
        const context = await browser.newContext({ viewport });
        try {
          const page = await signIn(context);
          for (const lang of ['es', 'en']) {
            const res = await page.goto(`${BASE}${PAGE}?lang=${lang}`, { waitUntil: 'load' });
            assert(res && res.status() === 200, `HTTP ${res && res.status()} for ${PAGE}`);
            const text = await page.locator('main').innerText();
            assert(text.includes(CHOSEN) && text.includes(OTHER), `the comments are not listed as written:\n${text}`);
            if (size === 'desktop') {
              const file = path.join(OUT, 'html', `report-comments-${lang}.html`);
              mkdirSync(path.dirname(file), { recursive: true });
              writeFileSync(file, await res.text());
              htmlFiles.push(file);
            }
            for (const v of await seriousViolations(page)) problems.push(`${size} ${lang}: ${v}`);
            if (size === 'phone') {
              const width = await page.evaluate(() => document.documentElement.scrollWidth);
              if (width > 390) problems.push(`${lang}: ${width}px wide on a 390px phone`);
            }
            await page.screenshot({ path: path.join(OUT, `report-comments-${size}-${lang}.png`), fullPage: true });
          }
        } finally {
          await context.close();
        }
      }
      const jar = path.join(path.dirname(new URL(import.meta.url).pathname),
        'node_modules/vnu-jar/build/dist/vnu.jar');
      if (existsSync(jar)) {
        const out = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout',
          '--exit-zero-always', ...htmlFiles], { encoding: 'utf8', timeout: 120_000 });
        for (const m of JSON.parse(out).messages.filter((x) => x.type === 'error')) {
          problems.push(`Nu ${path.basename(m.url || '')}:${m.lastLine}: ${m.message}`);
        }
      } else {
        console.log('  note: vnu.jar not installed; the Nu HTML checker was skipped');
      }
      assert(problems.length === 0, problems.join('\n'));
    }],
    ['choosing a comment with its button quotes it in the preview, as written, and only it', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await signIn(context);
        await page.goto(`${BASE}/admin/events/sela-2022/report?lang=en`);
        let preview = await page.locator('.report-preview').innerText();
        assert(!preview.includes(CHOSEN) && !preview.includes(OTHER), 'a comment is quoted before anyone chose it');
        await page.goto(`${BASE}${PAGE}?lang=en`);
        const item = page.locator('.report-comments li').filter({ hasText: CHOSEN });
        assert(await item.count() === 1, 'the comment to choose is not listed once');
        await Promise.all([
          page.waitForNavigation({ waitUntil: 'load' }),
          item.getByRole('button', { name: 'Quote in the report' }).click(),
        ]);
        assert(await page.locator('.report-comments li').filter({ hasText: CHOSEN })
          .getByRole('button', { name: 'Do not quote' }).count() === 1, 'the chosen comment offers no way back');
        await page.goto(`${BASE}/admin/events/sela-2022/report?lang=en`);
        preview = await page.locator('.report-preview').innerText();
        assert(preview.includes(CHOSEN), `the chosen comment is not quoted as written:\n${preview.slice(-1500)}`);
        assert(!preview.includes(OTHER), 'an unchosen comment is quoted');
        await page.screenshot({ path: path.join(OUT, 'report-comment-quoted.png'), fullPage: false });
      } finally {
        await context.close();
      }
    }],
  ]) {
    try {
      await fn();
      report(name);
    } catch (e) {
      report(name, e);
    }
  }
} catch (e) {
  report('setting up the comments test', e);
} finally {
  if (browser) await browser.close().catch(() => {});
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
