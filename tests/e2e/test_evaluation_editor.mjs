// SPDX-License-Identifier: AGPL-3.0-or-later
// Browser test of the evaluation's question editor (issue #17) on a phone:
// a coordinator creates the questionnaire for the whole edition (whose
// questions no one has answered: tests.mjs answers a course's), then adds a
// single-choice question with both languages, moves it,
// saves it, is told at the question what is missing, and removes it; axe
// finds nothing on the editor, with or without an error, and the page does
// not scroll sideways.  Run by run.sh after tests.mjs, with the same server
// (AULA_URL) and data directory (AULA_E2E_DATA).  Ends with
// "browser: N passed, N failed".
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = (process.env.AULA_URL || '').replace(/\/$/, '');
const DATA = process.env.AULA_E2E_DATA || '';
const OUT = process.env.AULA_E2E_OUT || path.resolve('test-output');
const ADMIN = { email: 'admin@example.org', password: 'e2e-password-123' };
const EDITOR = '/admin/events/sela-2022/evaluation/edition/questions';

let passed = 0;
let failed = 0;
function report(name, error) {
  if (error) {
    failed++;
    console.log(`FAIL - ${name}\n  ${String(error.message || error).split('\n').slice(0, 8).join('\n  ')}`);
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
const DEF = '(SELECT definition FROM questionnaire WHERE edition_id IS NOT NULL)';
const keys = () => JSON.parse(sql(`SELECT ${DEF}`)).sections.flatMap((s) => s.questions.map((q) => q.key));

async function axeClean(page, what) {
  await page.evaluate(axeSource);
  const v = await page.evaluate(() => window.axe.run(document,
    { resultTypes: ['violations'] }));
  assert(v.violations.length === 0, `axe on ${what}:\n` + v.violations.map((x) =>
    `[${x.impact}] ${x.id}: ${x.help} (${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`).join('\n'));
}

async function noSideways(page, what) {
  const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert(sw <= w, `${what} scrolls sideways on a phone: ${sw} > ${w}`);
}

// The Nu HTML checker's errors on the page at url as served (with the
// context's session).
async function nuErrors(page, url) {
  const html = await (await page.request.get(url)).text();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aula-e2e-editor-'));
  try {
    const file = path.join(dir, 'editor.html');
    writeFileSync(file, html);
    const jar = path.join(path.dirname(new URL(import.meta.url).pathname),
      'node_modules/vnu-jar/build/dist/vnu.jar');
    const out = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout',
      '--exit-zero-always', file], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out).messages.filter((m) => m.type === 'error')
      .map((m) => `${m.lastLine}: ${m.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Presses a submit button and waits for the page it brings.
async function press(page, locator) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), locator.click()]);
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
  const context = await browser.newContext({
    locale: 'en-GB', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${BASE}/login?lang=en`);
  await page.getByLabel(/email/i).fill(ADMIN.email);
  await page.getByLabel(/password/i).fill(ADMIN.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main form:has(input[type=password]) button[type=submit]').click()]);
  let before = [];
  const last = () => page.locator('fieldset.q-question').last();

  for (const [name, fn] of [
    ['the coordinator creates a questionnaire for the whole edition', async () => {
      await page.goto(`${BASE}/admin/events/sela-2022/evaluation?lang=en`);
      await press(page, page.getByRole('button', { name: 'Create a questionnaire for the whole edition' }));
      assert(new URL(page.url()).pathname === '/admin/events/sela-2022/evaluation/edition',
        `not on its page: ${page.url()}`);
      assert(sql('SELECT count(*) FROM questionnaire WHERE edition_id IS NOT NULL') === '1',
        'no questionnaire for the edition');
      await axeClean(page, "the edition's evaluation page");
      for (const url of ['/admin/events/sela-2022/evaluation?lang=en',
        '/admin/events/sela-2022/evaluation/edition?lang=en',
        '/admin/events/sela-2022/courses/techplomacy/evaluation?by=country&lang=es']) {
        const errors = await nuErrors(page, `${BASE}${url}`);
        assert(errors.length === 0, `the Nu checker on ${url}:\n${errors.slice(0, 8).join('\n')}`);
      }
      await page.goto(`${BASE}/admin/events/sela-2022/evaluation/edition?lang=en`);
      await Promise.all([page.waitForURL('**/evaluation/edition/questions'), page.locator('#edit-questions').click()]);
      before = keys();
      assert(before.length > 5, `the ready questions: ${before.join(',')}`);
    }],
    ['the question editor is a form axe finds nothing on, on a phone', async () => {
      await page.goto(`${BASE}${EDITOR}?lang=en`);
      assert(await page.locator('h1').innerText() === 'Questions', 'not the editor');
      assert(await page.locator('#question-editor').count() === 1, 'no editor form');
      assert(await page.locator('textarea[name=definition]').count() === 0, 'a JSON textarea is still there');
      assert(await page.locator('fieldset.q-question').count() === before.length,
        'not one fieldset per question');
      await axeClean(page, 'the editor');
      await noSideways(page, 'the editor');
      for (const lang of ['en', 'es']) {
        const errors = await nuErrors(page, `${BASE}${EDITOR}?lang=${lang}`);
        assert(errors.length === 0, `the Nu checker (${lang}):\n${errors.slice(0, 8).join('\n')}`);
      }
      // Those requests renewed the form's token: the page is loaded again.
      await page.goto(`${BASE}${EDITOR}?lang=en`);
    }],
    ['a coordinator adds a single-choice question in both languages, moves it and saves it', async () => {
      await page.selectOption('#new-type', 'single');
      await press(page, page.getByRole('button', { name: 'Add a question', exact: true }));
      const q = last();
      await q.getByLabel('Question (español)').fill('¿Dónde lo siguió?');
      await q.getByLabel('Question (English)').fill('Where did you follow it?');
      await q.getByLabel('Options (grid: statements)').fill('En casa | At home\nEn la oficina | At the office');
      const key = await q.getByLabel('Key').inputValue();
      await press(page, q.getByRole('button', { name: /Move up/ }));
      // What was typed is still there after the button.
      const moved = page.locator('fieldset.q-question', { has: page.locator(`input[name=q_key][value="${key}"]`) });
      assert(await moved.getByLabel('Question (English)').inputValue() === 'Where did you follow it?',
        'the text typed was lost');
      await noSideways(page, 'the editor after adding');
      await page.screenshot({ path: path.join(OUT, 'evaluation-editor-phone.png'), fullPage: true });
      await press(page, page.getByRole('button', { name: 'Save' }).first());
      assert(new URL(page.url()).search.includes('notice=saved'), `not saved: ${page.url()}`);
      const now = keys();
      assert(now.length === before.length + 1, `questions: ${now.join(',')}`);
      assert(now[now.length - 2] === key, `the new question is not second to last: ${now.join(',')}`);
      const def = JSON.parse(sql(`SELECT ${DEF}`));
      const added = def.sections.flatMap((s) => s.questions).find((x) => x.key === key);
      assert(added.type === 'single' && added.options[1].en === 'At the office' &&
        added.text.es === '¿Dónde lo siguió?', JSON.stringify(added));
    }],
    ['a missing English text is refused at its question, and axe finds nothing', async () => {
      const stored = sql(`SELECT ${DEF}`);
      const q = page.locator('fieldset.q-question').first();
      await q.getByLabel('Question (English)').fill('');
      await press(page, page.getByRole('button', { name: 'Save' }).first());
      assert(await page.locator('[role=alert]').count() > 0, 'no alert');
      const err = page.locator('fieldset.q-question[aria-describedby] .field-error');
      assert((await err.innerText()).includes('Spanish and in English'), 'the fault is not at the question');
      assert(sql(`SELECT ${DEF}`) === stored, 'something was stored');
      await axeClean(page, 'the editor with an error');
    }],
    ['a question not yet answered can be removed', async () => {
      await page.goto(`${BASE}${EDITOR}?lang=en`);
      const added = keys().find((k) => !before.includes(k));
      const q = page.locator('fieldset.q-question', { has: page.locator(`input[name=q_key][value="${added}"]`) });
      await press(page, q.getByRole('button', { name: /Remove/ }));
      await press(page, page.getByRole('button', { name: 'Save' }).first());
      assert(JSON.stringify(keys()) === JSON.stringify(before), `questions: ${keys().join(',')}`);
      assert(problems.length === 0, `script errors: ${problems.join('; ')}`);
    }],
  ]) {
    try {
      await fn();
      report(name);
    } catch (e) {
      report(name, e);
    }
  }
  await context.close();
} catch (e) {
  report('setting up the question editor test', e);
} finally {
  if (browser) await browser.close().catch(() => {});
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
