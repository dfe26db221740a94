// SPDX-License-Identifier: AGPL-3.0-or-later
// Browser tests for Aula: Debian's Chromium driven by playwright-core, axe-core
// for accessibility.  Run by run.sh, which serves a fresh data directory with the
// SELA 2022 programme and an administrator, and passes the server's address in
// AULA_URL (or as the first argument).  Prints "ok - NAME" or "FAIL - NAME" per
// test and ends with "browser: N passed, N failed".  AULA_E2E_DATA names the
// server's data directory: tests read sign-in links from its outbox.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = (process.argv[2] || process.env.AULA_URL || '').replace(/\/$/, '');
if (!BASE) {
  console.error('usage: node tests.mjs URL (or AULA_URL=URL)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(2);
}
const OUT = process.env.AULA_E2E_OUT || path.resolve('test-output');
const DATA = process.env.AULA_E2E_DATA || '';
mkdirSync(OUT, { recursive: true });

const EDITION = '/events/sela-2022';
const ADMIN = { email: 'admin@example.org', password: 'e2e-password-123' };
const TEST_TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------- assertions

class AssertionError extends Error {}

function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

function assertEqual(actual, expected, what) {
  assert(actual === expected,
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function assertIncludes(text, part, what) {
  assert(text.includes(part), `${what}: ${JSON.stringify(part)} not found in:\n${excerpt(text)}`);
}

function assertExcludes(text, part, what) {
  assert(!text.includes(part), `${what}: ${JSON.stringify(part)} should not be there`);
}

function excerpt(text) {
  const t = text.replace(/\n{2,}/g, '\n');
  return t.length > 1500 ? t.slice(0, 1500) + ' […]' : t;
}

// ------------------------------------------------------------------- browser

let browser;

// A visitor whose browser asks for neither Spanish nor English: the site's
// default language (Spanish) applies.
async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

// Opens a page and fails on any script error or CSP violation it reports.
async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.problems = problems;
  if (url) await goto(page, url);
  return page;
}

async function goto(page, url, expectStatus = 200) {
  const res = await page.goto(BASE + url, { waitUntil: 'load' });
  assert(res, `no response for ${url}`);
  assertEqual(res.status(), expectStatus, `HTTP status of ${url}`);
  return res;
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const visibleText = (page, selector = 'body') => page.locator(selector).first().innerText();

function noPageProblems(page, what) {
  // A 404 is reported on the console by Chromium as a failed resource load.
  const real = page.problems.filter((p) => !/status of 404/.test(p));
  assert(real.length === 0, `${what}: ${real.join('\n')}`);
}

async function signIn(context) {
  const page = await openPage(context, '/login');
  await page.getByLabel(/correo|email/i).fill(ADMIN.email);
  await page.getByLabel(/contraseña|password/i).fill(ADMIN.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main form:has(input[type=password]) button[type=submit]').click(),
  ]);
  return page;
}

// Opens the console's form for the session whose title (as listed in the
// console) is `title`.
async function openSessionForm(page, title) {
  await goto(page, '/admin');
  await Promise.all([
    page.waitForURL(`**/admin/events/sela-2022`),
    page.locator('main a[href="/admin/events/sela-2022"]').click(),
  ]);
  const item = page.locator('li[id^="session-"]').filter({
    has: page.locator('.session-title', { hasText: title }),
  });
  assertEqual(await item.count(), 1, `sessions titled ${JSON.stringify(title)} in the console`);
  await Promise.all([
    page.waitForURL('**/admin/session/*/edit'),
    item.locator('a.edit-session').click(),
  ]);
}

async function submitForm(page) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form.stacked button[type=submit]').click(),
  ]);
}

// Injects axe-core (the CSP forbids inline scripts, so it is evaluated through
// the DevTools protocol rather than added as a <script>) and runs it.
async function axeViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations;
}

function describeViolation(v) {
  const nodes = v.nodes.slice(0, 5).map((n) =>
    `      ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ')}`);
  return `    [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes.join('\n')}`;
}

// --------------------------------------------------------------------- tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('home page goes to the only edition, in Spanish', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, '/');
    assertEqual(new URL(page.url()).pathname, EDITION, 'address after the redirect');
    assertEqual(await htmlLang(page), 'es', '<html lang>');
    assertEqual((await visibleText(page, 'h1')).trim(),
      'Programa de capacitación para Altos Funcionarios en la era digital', 'page heading');
    assertIncludes(await page.title(), 'Programa de capacitación para Altos Funcionarios',
      'document title');
    noPageProblems(page, 'home page');
  } finally {
    await context.close();
  }
});

test('a browser that prefers English gets English', async () => {
  const context = await newContext({ locale: 'en-GB' });
  try {
    const page = await openPage(context, EDITION);
    assertEqual(await htmlLang(page), 'en', '<html lang>');
    assertEqual((await visibleText(page, 'h1')).trim(),
      'Training programme for Senior Officials in the digital era', 'page heading');
  } finally {
    await context.close();
  }
});

test('agenda in Spanish by default and in English with ?lang=en', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assertEqual(await htmlLang(page), 'es', '<html lang> of the Spanish agenda');
    const es = await visibleText(page);
    for (const s of ['Sesión 1: Introducción a la ciberdiplomacia', 'lunes, 21 de marzo de 2022',
      '09:00', 'Mario Torres Jarrin', 'Shaun Riordan', 'Clarems Endara', 'Antonio Núñez',
      'Sayed Durán', 'Curso de especialización en Ciberdiplomacia',
      'Curso de especialización en Tecnodiplomacia']) {
      assertIncludes(es, s, 'Spanish agenda');
    }
    assertExcludes(es, 'Session 1: Introduction to cyberdiplomacy', 'Spanish agenda');
    noPageProblems(page, 'Spanish agenda');

    await goto(page, `${EDITION}/agenda?lang=en`);
    assertEqual(await htmlLang(page), 'en', '<html lang> of the English agenda');
    const en = await visibleText(page);
    for (const s of ['Session 1: Introduction to cyberdiplomacy', 'Monday, 21 March 2022',
      '09:00', 'Mario Torres Jarrin', 'Shaun Riordan', 'Clarems Endara']) {
      assertIncludes(en, s, 'English agenda');
    }
    assertExcludes(en, 'Sesión 1: Introducción a la ciberdiplomacia', 'English agenda');
  } finally {
    await context.close();
  }
});

test('the language link switches the site and the choice is remembered', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assertEqual(await htmlLang(page), 'es', '<html lang> at first');
    // Follows the header's link to the other language, then the edition's
    // link to the next page (a plain link, without ?lang=).
    let step = 0;
    const switchTo = async (lang, name, nextPath, heading) => {
      step++;
      const link = page.locator(`header nav a[hreflang="${lang}"]`);
      assertEqual((await link.innerText()).trim(), name, 'language link text');
      await Promise.all([page.waitForNavigation(), link.click()]);
      assertEqual(await htmlLang(page), lang, `<html lang> after choosing ${name} (switch ${step})`);
      const next = page.locator(`.edition-nav a[href="${EDITION}${nextPath}"]`);
      await Promise.all([page.waitForNavigation(), next.click()]);
      assertEqual(new URL(page.url()).search, '', 'no ?lang= in the next address');
      assertEqual(await htmlLang(page), lang,
        `<html lang> on ${nextPath} after choosing ${name} (switch ${step})`);
      assertIncludes(await visibleText(page, 'h1'), heading, 'next page heading');
      const cookie = (await context.cookies()).find((c) => c.name === 'lang');
      assert(cookie && cookie.value === lang, `lang cookie: ${JSON.stringify(cookie)}`);
    };
    await switchTo('en', 'English', '/speakers', 'Trainers');
    await switchTo('es', 'Español', '/agenda', 'Agenda');
    // The English agenda was seen before: the browser revalidates it (304)
    // and the choice must still be remembered.
    await switchTo('en', 'English', '/speakers', 'Trainers');
    assertIncludes(await visibleText(page), 'Mario Torres Jarrin', 'speakers page');
  } finally {
    await context.close();
  }
});

for (const [zone, expected, extra] of [
  ['Europe/Madrid', '14:00', null],
  // Caracas keeps the edition's clock: no local time is added there.
  ['America/Caracas', null, null],
  // 13:00 UTC on Monday 21 March is 02:00 on Tuesday 22 March in Auckland.
  ['Pacific/Auckland', '02:00', '22'],
]) {
  test(`local time beside the programme's time (${zone})`, async () => {
    const context = await newContext({ timezoneId: zone });
    try {
      const page = await openPage(context, `${EDITION}/agenda`);
      const time = page.locator('time[datetime="2022-03-21T13:00:00Z"]');
      assertEqual(await time.count(), 1, 'programme times for 2022-03-21T13:00:00Z');
      assertEqual((await time.innerText()).trim(), '09:00', 'programme time');
      const local = page.locator('time[datetime="2022-03-21T13:00:00Z"] + .local-time');
      if (!expected) {
        // Give the script its time, then check it added nothing.
        await page.waitForFunction(() => document.readyState === 'complete');
        await page.waitForTimeout(300);
        assertEqual(await page.locator('.local-time').count(), 0, `local times in ${zone}`);
        assert(!(await page.getByText('Junto a cada hora se muestra también su hora local.').isVisible()),
          'no local-time note when no local time is shown');
        noPageProblems(page, 'agenda');
        return;
      }
      await local.waitFor({ state: 'visible' });
      const text = await local.innerText();
      assertIncludes(text, expected, `local time in ${zone}`);
      assertIncludes(text, 'su hora', `local time label in ${zone}`);
      if (extra) assertIncludes(text, extra, `local day in ${zone}`);
      else assert(!/\d/.test(text.replace(/\d\d:\d\d/, '')),
        `no day is named when the local day is the programme's: ${text}`);
      // The note that explains the local times is shown once the script ran.
      assert(await page.getByText('Junto a cada hora se muestra también su hora local.').isVisible(),
        'the local-time note is visible');
      noPageProblems(page, 'agenda');
    } finally {
      await context.close();
    }
  });
}

const ORIGINAL = {
  es: 'Introducción a la ciberdiplomacia',
  en: 'Introduction to cyberdiplomacy',
};
const EDITED = {
  es: 'Ciberdiplomacia para principiantes (edición e2e)',
  en: 'Cyberdiplomacy for beginners (e2e edit)',
};

test('an administrator edits a session and the public agenda shows it', async () => {
  const context = await newContext();
  try {
    // Put both agendas in the server's page cache first.
    const pub = await openPage(context, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(pub), `Session 1: ${ORIGINAL.en}`, 'agenda before the edit');
    await goto(pub, `${EDITION}/agenda?lang=es`);
    assertIncludes(await visibleText(pub), `Sesión 1: ${ORIGINAL.es}`, 'agenda before the edit');
    await pub.close();

    const page = await signIn(context);
    await goto(page, '/admin');
    assertIncludes(await visibleText(page, 'main'),
      'Programa de capacitación para Altos Funcionarios en la era digital', 'console home');
    await openSessionForm(page, ORIGINAL.es);
    assertEqual(await page.locator('input[name="title_es"]').inputValue(), ORIGINAL.es,
      'Spanish title in the form');
    assertEqual(await page.locator('input[name="title_en"]').inputValue(), ORIGINAL.en,
      'English title in the form');
    await page.locator('input[name="title_es"]').fill(EDITED.es);
    await page.locator('input[name="title_en"]').fill(EDITED.en);
    await submitForm(page);
    assertEqual(await page.locator('.form-error, .field-error').count(), 0, 'form errors');
    assertIncludes(await visibleText(page, 'main'), EDITED.es, 'console after saving');

    await goto(page, `${EDITION}/agenda?lang=es`);
    const es = await visibleText(page);
    assertIncludes(es, `Sesión 1: ${EDITED.es}`, 'Spanish agenda after the edit');
    assertExcludes(es, ORIGINAL.es, 'Spanish agenda after the edit');
    await goto(page, `${EDITION}/agenda?lang=en`);
    const en = await visibleText(page);
    assertIncludes(en, `Session 1: ${EDITED.en}`, 'English agenda after the edit');
    assertExcludes(en, ORIGINAL.en, 'English agenda after the edit');

    // Put the titles back, through the console as well.
    await openSessionForm(page, EDITED.en);
    await page.locator('input[name="title_es"]').fill(ORIGINAL.es);
    await page.locator('input[name="title_en"]').fill(ORIGINAL.en);
    await submitForm(page);
    await goto(page, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(page), `Session 1: ${ORIGINAL.en}`, 'agenda restored');
    noPageProblems(page, 'console');
  } finally {
    await context.close();
  }
});

test('a console form with an empty required title says so and keeps the other values', async () => {
  const context = await newContext();
  try {
    const page = await signIn(context);
    await openSessionForm(page, ORIGINAL.es);
    const number = await page.locator('[name="number"]').inputValue();
    const kind = await page.locator('[name="kind"]').inputValue();
    await page.locator('input[name="title_es"]').fill('');
    await page.locator('input[name="title_en"]').fill('Kept English title (e2e)');
    await submitForm(page);

    const field = page.locator('.field').filter({ has: page.locator('input[name="title_es"]') });
    const error = field.locator('.field-error');
    assert(await error.isVisible(), 'an error message is shown beside the Spanish title');
    const message = (await error.innerText()).trim();
    assert(message.length > 0, 'the error message is not empty');
    const input = page.locator('input[name="title_es"]');
    assertEqual(await input.getAttribute('aria-invalid'), 'true', 'aria-invalid on the field');
    assertEqual(await input.getAttribute('aria-describedby'), await error.getAttribute('id'),
      'the field is described by its error');
    assert(await page.locator('.form-error[role="alert"]').isVisible(),
      'a summary of the error is announced');
    assertEqual(await page.locator('input[name="title_en"]').inputValue(),
      'Kept English title (e2e)', 'the English title is kept');
    assertEqual(await page.locator('[name="number"]').inputValue(), number, 'the number is kept');
    assertEqual(await page.locator('[name="kind"]').inputValue(), kind, 'the kind is kept');
    assertEqual(await page.locator('.field-error').count(), 1, 'fields with an error');
    // Nothing was saved.
    await goto(page, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(page), `Session 1: ${ORIGINAL.en}`, 'agenda unchanged');
    assertExcludes(await visibleText(page), 'Kept English title', 'agenda unchanged');
  } finally {
    await context.close();
  }
});

const PUBLIC_PAGES = [
  [EDITION, 200],
  [`${EDITION}/agenda`, 200],
  [`${EDITION}/speakers`, 200],
  [`${EDITION}/courses/cyberdiplomacy`, 200],
  [`${EDITION}/courses/techplomacy`, 200],
  ['/login', 200],
  ['/no-such-page', 404],
  [`${EDITION}/courses/no-such-course`, 404],
];

test('public pages have no serious or critical accessibility violations', async () => {
  const context = await newContext();
  const failures = [];
  try {
    for (const lang of ['es', 'en']) {
      for (const [url, status] of PUBLIC_PAGES) {
        const page = await openPage(context);
        const full = `${url}?lang=${lang}`;
        await goto(page, full, status);
        assertEqual(await htmlLang(page), lang, `<html lang> of ${full}`);
        const violations = await axeViolations(page);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${full}\n${bad.map(describeViolation).join('\n')}`);
        // Moderate and minor findings are reported without failing.
        for (const v of violations.filter((x) => !bad.includes(x))) {
          console.log(`  note: ${full}: [${v.impact}] ${v.id}: ${v.help}`);
        }
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
  assert(failures.length === 0, `accessibility violations:\n${failures.join('\n')}`);
});

test('console pages have no serious or critical accessibility violations', async () => {
  const context = await newContext();
  const failures = [];
  try {
    const page = await signIn(context);
    const check = async (what) => {
      const bad = (await axeViolations(page))
        .filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (bad.length) failures.push(`  ${what}\n${bad.map(describeViolation).join('\n')}`);
    };
    await goto(page, '/admin');
    await check('/admin');
    await goto(page, '/admin/events/sela-2022');
    await check('/admin/events/sela-2022');
    await openSessionForm(page, ORIGINAL.es);
    await check('session form');
    await page.locator('input[name="title_es"]').fill('');
    await submitForm(page);
    await check('session form with an error');
    // The agenda as seen by a signed-in administrator (another header).
    await goto(page, `${EDITION}/agenda`);
    await check('agenda, signed in');
  } finally {
    await context.close();
  }
  assert(failures.length === 0, `accessibility violations:\n${failures.join('\n')}`);
});

test('agenda screenshots; no horizontal scrolling on a phone', async () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await newContext({ viewport, timezoneId: 'Europe/Madrid',
      isMobile: name === 'phone', hasTouch: name === 'phone', deviceScaleFactor: 1 });
    try {
      for (const lang of ['es', 'en']) {
        const page = await openPage(context, `${EDITION}/agenda?lang=${lang}`);
        await page.locator('.local-time').first().waitFor({ state: 'visible' });
        await page.screenshot({ path: path.join(OUT, `agenda-${name}-${lang}.png`), fullPage: true });
        if (name === 'phone') {
          for (const [url, status] of PUBLIC_PAGES) {
            await goto(page, `${url}?lang=${lang}`, status);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert(width <= 390, `${url}?lang=${lang} is ${width}px wide on a 390px phone`);
          }
        }
        await page.close();
      }
    } finally {
      await context.close();
    }
  }
});

test('checkboxes sit beside their labels on the application form, phone and desktop', async () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await newContext({ viewport, isMobile: name === 'phone', hasTouch: name === 'phone' });
    try {
      const page = await openPage(context, `${EDITION}/apply`);
      const labels = page.locator('label.check');
      const n = await labels.count();
      assert(n >= 3, `only ${n} checkbox labels on the application form`);
      for (let i = 0; i < n; i++) {
        const box = await labels.nth(i).locator('input').boundingBox();
        const text = await labels.nth(i).locator('span').first().boundingBox();
        assert(box && text, `checkbox ${i} or its text is not drawn`);
        // Beside: the box is left of the text and overlaps its first line.
        assert(box.x + box.width <= text.x + 1, `${name}: checkbox ${i} is not left of its label`);
        assert(box.y < text.y + 24 && box.y + box.height > text.y,
          `${name}: checkbox ${i} is not on its label's first line`);
        assert(box.width >= 20 && box.height >= 20, `${name}: checkbox ${i} is ${box.width}px, too small to touch`);
      }
      await page.screenshot({ path: path.join(OUT, `apply-${name}-es.png`), fullPage: true });
    } finally {
      await context.close();
    }
  }
});

test('console pages: one navigation, no sideways scrolling on a phone, no serious accessibility violation', async () => {
  const failures = [];
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await newContext({ viewport });
    try {
      const page = await signIn(context);
      for (const url of ['/admin', '/admin/events/sela-2022/meetings', '/admin/events/sela-2022/attendance',
                         '/admin/outbox']) {
        await goto(page, url);
        const current = await page.locator('.console-nav a[aria-current="page"]').getAttribute('href');
        assertEqual(current, url, `current section of ${url}`);
        const bad = (await axeViolations(page))
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${name} ${url}\n${bad.map(describeViolation).join('\n')}`);
        if (name === 'phone') {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 390) failures.push(`  ${url} is ${width}px wide on a 390px phone`);
        }
        await page.screenshot({ path: path.join(OUT, `console-${name}${url.replace(/\//g, '-')}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  }
  assert(failures.length === 0, `console problems:\n${failures.join('\n')}`);
});

test('final report preview: charts with text alternatives, no serious accessibility violation, phone width', async () => {
  const failures = [];
  const fs = await import('node:fs');
  const htmlFiles = [];
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await newContext({ viewport });
    try {
      const page = await signIn(context);
      for (const lang of ['es', 'en']) {
        const url = `/admin/events/sela-2022/report?lang=${lang}&participants=1`;
        const served = await goto(page, url);
        if (name === 'desktop') {
          const file = path.join(OUT, 'html', `report-${lang}.html`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, await served.text());
          htmlFiles.push(file);
        }
        assertEqual(await htmlLang(page), lang, `<html lang> of ${url}`);
        const charts = page.locator('.report-preview figure.chart img');
        assert(await charts.count() >= 3, `charts in ${url}`);
        for (const alt of await charts.evaluateAll((imgs) => imgs.map((i) => i.alt))) {
          assert(alt && alt.length > 10, `a chart without a text alternative in ${url}`);
        }
        // Every chart image loaded (an SVG cairo drew), none broken.
        const broken = await charts.evaluateAll((imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).length);
        assertEqual(broken, 0, `broken chart images in ${url}`);
        const bad = (await axeViolations(page))
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${name} ${url}\n${bad.map(describeViolation).join('\n')}`);
        if (name === 'phone') {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 390) failures.push(`  ${url} is ${width}px wide on a 390px phone`);
        }
        await page.screenshot({ path: path.join(OUT, `report-${name}-${lang}.png`), fullPage: false });
      }
      const pdf = await page.request.get(`${BASE}/admin/events/sela-2022/report.pdf?language=en`);
      assertEqual(pdf.status(), 200, 'PDF download');
      assertEqual(pdf.headers()['content-type'], 'application/pdf', 'PDF type');
    } finally {
      await context.close();
    }
  }
  // The Nu HTML checker, when its jar is installed with the modules
  // (vnu-jar): the page as served, in both languages.
  const jar = path.join(path.dirname(new URL(import.meta.url).pathname),
    'node_modules/vnu-jar/build/dist/vnu.jar');
  if (fs.existsSync(jar)) {
    const out = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout',
      '--exit-zero-always', ...htmlFiles], { encoding: 'utf8', timeout: 120_000 });
    for (const m of JSON.parse(out).messages.filter((x) => x.type === 'error')) {
      failures.push(`  Nu ${path.basename(m.url || '')}:${m.lastLine}: ${m.message}`);
    }
  } else {
    console.log('  note: vnu.jar not installed; the Nu HTML checker was skipped');
  }
  assert(failures.length === 0, `report preview problems:\n${failures.join('\n')}`);
});

test('printed agenda leaves out the site header', async () => {
  const context = await newContext({ timezoneId: 'Europe/Madrid' });
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assert(await page.locator('.site-header').isVisible(), 'site header visible on screen');
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.locator('.site-header').isVisible()), 'site header hidden in print');
    assert(!(await page.locator('.local-time').first().isVisible()),
      'visitor\'s local time hidden in print');
    assert(!(await page.locator('.js-only').first().isVisible()),
      'the note about local times is hidden in print');
    assert(await page.getByText('Sesión 1: Introducción a la ciberdiplomacia').isVisible(),
      'sessions still printed');
    assert(await page.locator('.edition-title').isVisible(), 'edition title still printed');
    await page.pdf({ path: path.join(OUT, 'agenda-print-es.pdf'), format: 'A4' });
  } finally {
    await context.close();
  }
});

// ------------------------------------------- applications and registration

// Reads the server's database with the sqlite3 command (the outbox holds the
// messages Aula would send: here, the sign-in links).
function sql(query) {
  assert(DATA, 'AULA_E2E_DATA (the data directory) is not set: run the tests with run.sh');
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(DATA, 'aula.db'), query],
    { encoding: 'utf8', timeout: 15_000 }).trim();
}
const sqlText = (s) => `'${String(s).replace(/'/g, "''")}'`;

async function until(what, fn, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new AssertionError(`timed out after ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Candidates of these tests.  Each address applies once per run (the server
// allows 5 applications per address and 20 per hour from one IP).
const CANDIDATE = {
  email: 'maria.gonzalez@mppre.example',
  address: 'Embajador(a)', addressShown: 'Embajadora',
  given: 'María Fernanda', family: 'González Pérez', gender: 'Femenino',
  country: 'Venezuela', institutionType: 'Ministerio de Relaciones Exteriores',
  institution: 'Ministerio del Poder Popular para Relaciones Exteriores',
  position: 'Consejera', phone: '+58 212 806 4400', language: 'Español',
  motivation: 'Coordino la agenda digital de la Cancillería y la cooperación en ciberseguridad.',
  course: 'Ciberdiplomacia',
};
const VIEWER = { ...CANDIDATE, email: 'ana.quispe@rree.example', given: 'Ana Lucía',
  family: 'Quispe Huamán', country: 'Perú', institution: 'Ministerio de Relaciones Exteriores del Perú' };
const OUTSIDER = { ...CANDIDATE, email: 'jorge.lima@itamaraty.example', address: 'Secretario(a)',
  addressShown: 'Secretario', given: 'Jorge', family: 'Lima Gonçalves', gender: 'Masculino',
  country: 'Brasil', institution: 'Itamaraty', position: 'Secretario',
  course: 'Tecnodiplomacia' };

// Fills the public application form as `person`; the email can be overridden.
async function fillApplication(page, person, email = person.email) {
  const main = page.locator('main');
  await main.getByRole('checkbox', { name: new RegExp(person.course) }).check();
  await main.getByLabel('Tratamiento', { exact: true }).selectOption({ label: person.address });
  await main.getByLabel('Nombres', { exact: true }).fill(person.given);
  await main.getByLabel('Apellidos', { exact: true }).fill(person.family);
  await main.getByLabel('Género', { exact: true }).selectOption({ label: person.gender });
  await main.getByLabel('País', { exact: true }).selectOption({ label: person.country });
  await main.getByLabel('Tipo de institución', { exact: true })
    .selectOption({ label: person.institutionType });
  await main.getByLabel('Institución', { exact: true }).fill(person.institution);
  await main.getByLabel('Cargo o rango', { exact: true }).fill(person.position);
  await main.getByLabel('Correo electrónico institucional', { exact: true }).fill(email);
  await main.getByLabel('Teléfono (opcional)', { exact: true }).fill(person.phone);
  await main.getByLabel('Idioma preferido', { exact: true }).selectOption({ label: person.language });
  await main.getByLabel('Motivación (breve) (opcional)', { exact: true }).fill(person.motivation);
  await main.getByRole('checkbox', { name: /Acepto el tratamiento de mis datos/ }).check();
}

async function submitApplication(page) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main').getByRole('button', { name: 'Enviar postulación' }).click(),
  ]);
  return response;
}

// Applies through the form and checks the confirmation page.
async function apply(context, person) {
  const page = await openPage(context, `${EDITION}/apply`);
  assertEqual((await visibleText(page, 'h1')).trim(), 'Postulación', 'application form heading');
  await fillApplication(page, person);
  await submitApplication(page);
  assertEqual(new URL(page.url()).pathname, `${EDITION}/apply/done`, 'address after applying');
  assertEqual((await visibleText(page, 'h1')).trim(), 'Postulación recibida',
    `heading after ${person.email} applied`);
  return page;
}

// The console's row of `person` in the list of applications.
const applicationRow = (page, person) => page.locator('main tbody tr').filter({
  has: page.getByRole('checkbox', { name: `Seleccionar ${person.given} ${person.family}` }),
});

// An administrator ticks the rows of `people` and applies `decision` ("Aceptar").
async function decide(page, people, decision) {
  await goto(page, '/admin/events/sela-2022/applications');
  for (const p of people) {
    const row = applicationRow(page, p);
    assertEqual(await row.count(), 1, `rows of ${p.given} ${p.family} in the console`);
    assertIncludes(await row.innerText(), p.email, 'the row shows the address');
    await row.getByRole('checkbox').check();
  }
  await page.getByRole('radio', { name: decision, exact: true }).check();
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Aplicar', exact: true }).click(),
  ]);
  // The decision is previewed (people reached, the message in each
  // language), then confirmed.
  assertEqual((await visibleText(page, 'h1')).trim(), 'Confirmar las decisiones',
    'heading of the preview of a decision');
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Confirmar y enviar los mensajes' }).click(),
  ]);
}

// The delivered message (DATA/mail/ID.eml) of outbox row id, its
// quoted-printable undone: the outbox itself shows links masked.
async function deliveredMail(id) {
  const file = path.join(DATA, 'mail', `${String(id).padStart(6, '0')}.eml`);
  const raw = await until(`message ${id} delivered to ${file}`, () => {
    try { return readFileSync(file, 'latin1'); } catch { return null; }
  });
  const bytes = Buffer.from(raw.replace(/=\r?\n/g, ''), 'latin1').toString('latin1')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

// Asks for a sign-in link with the email alone, reads it from the delivered
// mail, opens it and presses its button (only that POST signs in, so mail
// scanners that fetch links cannot spend them); returns the page, signed in,
// on /me.  `lenient` is accepted for callers that only need a participant.
async function signInWithLink(page, email, { lenient = false } = {}) {
  void lenient;
  const newer = Number(sql('SELECT coalesce(max(id), 0) FROM outbox'));
  await goto(page, '/login');
  await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
  assertEqual(await page.getByLabel(/Contraseña/).inputValue(), '', 'password left empty');
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main').getByRole('button', { name: 'Entrar' }).click(),
  ]);
  assertEqual((await visibleText(page, 'h1')).trim(), 'Revise su correo electrónico',
    'heading after asking for a link');
  const id = await until(`a sign-in link for ${email} in the outbox`, () => sql(
    `SELECT id FROM outbox WHERE kind = 'signin.link' AND to_addr = ${sqlText(email)}` +
    ` AND id > ${newer} ORDER BY id DESC LIMIT 1`));
  const stored = sql(`SELECT body_text FROM outbox WHERE id = ${Number(id)}`);
  assert(!/\/login\/[A-Za-z0-9_-]{16,}/.test(stored), `the outbox shows a usable link:\n${stored}`);
  const body = await deliveredMail(id);
  const m = body.match(/https?:\/\/[^\s"<>]+\/login\/[A-Za-z0-9_-]+/);
  assert(m, `no sign-in link in the message:\n${body}`);
  assert(m[0].startsWith(`${BASE}/login/`), `the link ${m[0]} does not point to ${BASE}`);
  const res = await page.goto(m[0], { waitUntil: 'load' });
  assert(res && res.status() === 200, `opening the sign-in link: HTTP ${res && res.status()} at ${page.url()}`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/me'),
    page.locator('main').getByRole('button', { name: 'Entrar' }).click(),
  ]);
  assertEqual(new URL(page.url()).pathname, '/me', 'the button lands on /me');
  return page;
}

// Completes the registration form from /me.
// The time zone is chosen by place, as a person would: `place` is its label.
async function register(page, { city, place }) {
  await Promise.all([
    page.waitForURL('**/me/applications/*/register'),
    page.getByRole('link', { name: 'Completar la inscripción' }).click(),
  ]);
  assertEqual((await visibleText(page, 'h1')).trim(), 'Formulario de inscripción',
    'registration form heading');
  await page.getByLabel('Ciudad desde la que se conectará', { exact: true }).fill(city);
  await page.getByLabel(/^Zona horaria/).selectOption({ label: place });
  await page.getByRole('checkbox', { name: 'Acepto que las sesiones se graben.' }).check();
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/me'),
    page.getByRole('button', { name: 'Confirmar inscripción' }).click(),
  ]);
}

// The status shown on /me for the course whose title contains `course`.
async function statusOnMe(page, course) {
  const card = page.locator('.course-card').filter({ has: page.locator('h3', { hasText: course }) });
  assertEqual(await card.count(), 1, `cards for ${course} on /me`);
  return (await card.locator('.status').innerText()).trim();
}

// The administrator's session, kept for the later tests: the server allows
// 5 password sign-ins per address in 15 minutes.
let adminState = null;

async function adminContext() {
  if (adminState) return newContext({ storageState: adminState });
  const context = await newContext();
  await (await signIn(context)).close();
  adminState = await context.storageState();
  return context;
}

test('a candidate applies, is accepted, signs in by email and registers (Spanish)', async () => {
  const candidate = await newContext({ timezoneId: 'America/Caracas' });
  const admin = await newContext();
  // The demo's 2022 course, moved ahead for the journey: /me follows the
  // programme's clock, and a course that is over has other next steps.
  const course = moveCourse(`start_utc = strftime(${ISO}, start_utc, '+10 years'),` +
    ` end_utc = strftime(${ISO}, end_utc, '+10 years')`);
  try {
    const form = await apply(candidate, CANDIDATE);
    assertEqual(await htmlLang(form), 'es', '<html lang> of the confirmation');
    assertIncludes(await visibleText(form, 'main'), 'Hemos recibido su postulación',
      'confirmation text');
    noPageProblems(form, 'application form');

    // The administrator signs in with the password and accepts her.
    const desk = await signIn(admin);
    adminState = await admin.storageState();
    await decide(desk, [CANDIDATE], 'Aceptar');
    assertEqual(new URL(desk.url()).pathname, '/admin/events/sela-2022/applications',
      'address after deciding');
    const notice = desk.locator('main .notice[role="status"]');
    assert(await notice.isVisible(), 'a notice confirms the decision');
    assertEqual((await notice.innerText()).trim(),
      'Decisiones registradas; los mensajes quedaron en cola.', 'notice after deciding');
    const row = applicationRow(desk, CANDIDATE);
    assertIncludes(await row.innerText(),
      `${CANDIDATE.addressShown} ${CANDIDATE.given} ${CANDIDATE.family}`, 'name in the row');
    assertEqual((await row.locator('.status').innerText()).trim(), 'Aceptada', 'status in the row');
    assertIncludes(await row.innerText(), 'Venezuela', 'country in the row');
    noPageProblems(desk, 'applications console');

    // The candidate asks for a link with her address only and opens it.
    const me = await signInWithLink(form, CANDIDATE.email);
    assertEqual(new URL(me.url()).pathname, '/me', 'the link lands on /me');
    assertEqual((await visibleText(me, 'h1')).trim(), 'Mi página', '/me heading');
    assertIncludes(await visibleText(me, 'main'), CANDIDATE.email, '/me shows the address');
    assertEqual(await statusOnMe(me, CANDIDATE.course), 'Aceptada', 'status on /me');
    assert(await me.getByRole('link', { name: 'Completar la inscripción' }).isVisible(),
      '"Completar la inscripción" is offered');

    await register(me, { city: 'Caracas', place: 'Venezuela — Caracas' });
    assertEqual(await statusOnMe(me, CANDIDATE.course), 'Inscrita', 'status after registering');
    assertEqual((await me.locator('main .notice[role="status"]').innerText()).trim(),
      'Inscripción guardada. ¡Gracias!', 'notice after registering');
    assertEqual(await me.getByRole('link', { name: 'Completar la inscripción' }).count(), 0,
      'no registration link once registered');
    assertIncludes(await visibleText(me, '.next-step'), 'Recibirá la invitación', 'next step');
    // What was entered is what was stored.
    assertEqual(sql('SELECT city || \'|\' || time_zone || \'|\' || recording_consent FROM application' +
      ` WHERE email = ${sqlText(CANDIDATE.email)}`), 'Caracas|America/Caracas|1',
    'city, time zone and recording consent stored');
    noPageProblems(me, '/me');
  } finally {
    course.restore();
    await candidate.close();
    await admin.close();
  }
});

test('the application form marks an invalid email beside it and keeps the other values', async () => {
  const context = await newContext();
  try {
    const person = { ...CANDIDATE, email: 'lucia.mendez@sre.example', given: 'Lucía',
      family: 'Méndez Ortiz', country: 'México', address: 'Dr.', gender: 'Prefiero no decirlo',
      institutionType: 'Organismo internacional', language: 'Inglés', course: 'Tecnodiplomacia' };
    const page = await openPage(context, `${EDITION}/apply`);
    await fillApplication(page, person, 'lucia.mendez@@sre');
    const response = await submitApplication(page);
    assertEqual(response.status(), 422, 'HTTP status of the rejected form');
    assertEqual(new URL(page.url()).pathname, `${EDITION}/apply`, 'still on the form');

    const main = page.locator('main');
    const emailField = main.locator('.field').filter({ has: page.locator('#email') });
    const error = emailField.locator('.field-error');
    assert(await error.isVisible(), 'an error is shown beside the email field');
    assertEqual((await error.innerText()).trim(),
      'Escriba una dirección de correo electrónico válida.', 'the email error');
    assertEqual(await main.locator('.field-error').count(), 1, 'fields with an error');
    const summary = main.locator('.error-summary[role="alert"]');
    assert(await summary.isVisible(), 'a summary of the error is announced');
    assertEqual(await summary.locator('a[href="#email"]').count(), 1, 'the summary links the field');
    assertEqual(await main.getByLabel('Correo electrónico institucional', { exact: true }).inputValue(),
      'lucia.mendez@@sre', 'the email as typed');

    const selected = (label) => main.getByLabel(label, { exact: true })
      .evaluate((s) => s.selectedOptions[0] ? s.selectedOptions[0].textContent.trim() : '');
    for (const [label, want] of [['Tratamiento', person.address], ['Género', person.gender],
      ['País', person.country], ['Tipo de institución', person.institutionType],
      ['Idioma preferido', person.language]]) {
      assertEqual(await selected(label), want, `${label} kept`);
    }
    for (const [label, want] of [['Nombres', person.given], ['Apellidos', person.family],
      ['Institución', person.institution], ['Cargo o rango', person.position],
      ['Teléfono (opcional)', person.phone], ['Motivación (breve) (opcional)', person.motivation]]) {
      assertEqual(await main.getByLabel(label, { exact: true }).inputValue(), want, `${label} kept`);
    }
    assert(await main.getByRole('checkbox', { name: /Tecnodiplomacia/ }).isChecked(),
      'the chosen course stays ticked');
    assert(!(await main.getByRole('checkbox', { name: /Ciberdiplomacia/ }).isChecked()),
      'the other course stays unticked');
    assert(await main.getByRole('checkbox', { name: /Acepto el tratamiento/ }).isChecked(),
      'the consent stays ticked');
    assertEqual(sql(`SELECT count(*) FROM application WHERE email LIKE 'lucia.mendez%'`), '0',
      'nothing was stored');
    // The 422 answer itself is reported on the console by Chromium; anything else is a problem.
    page.problems = page.problems.filter((p) => !/status of 422/.test(p));
    noPageProblems(page, 'application form with an error');
  } finally {
    await context.close();
  }
});

// ------------------------------------------------------- training material

// Records ~1.5 s of an animated <canvas> with MediaRecorder and returns the
// WebM file, base64-encoded.
async function recordWebm(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    document.body.appendChild(canvas);
    const g = canvas.getContext('2d');
    const stream = canvas.captureStream(25);
    if (!MediaRecorder.isTypeSupported('video/webm')) throw new Error('video/webm not supported');
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks = [];
    recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    const stopped = new Promise((resolve, reject) => {
      recorder.onstop = resolve;
      recorder.onerror = (e) => reject(new Error(`MediaRecorder: ${e.error}`));
      setTimeout(() => reject(new Error('MediaRecorder did not stop')), 10_000);
    });
    const started = performance.now();
    const draw = () => {
      const t = (performance.now() - started) / 1000;
      g.fillStyle = `hsl(${Math.round(t * 240) % 360}, 70%, 45%)`;
      g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#fff';
      g.fillRect(20 + t * 160, 60, 60, 60);
      g.font = '24px sans-serif';
      g.fillText(`Aula e2e ${t.toFixed(2)} s`, 20, 40);
    };
    draw();
    recorder.start(250);
    const timer = setInterval(draw, 40);
    await new Promise((r) => setTimeout(r, 1600));
    clearInterval(timer);
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  });
}

// Applies, is accepted by the administrator, registers: returns the signed-in context.
async function participant(person, adminPage) {
  const context = await newContext();
  const page = await apply(context, person);
  await decide(adminPage, [person], 'Aceptar');
  await signInWithLink(page, person.email, { lenient: true });
  await register(page, { city: 'Lima', place: 'Perú — Lima' });
  // The demo's course is over: /me shows that stage; the enrolment is registered.
  assertEqual(sql('SELECT en.status FROM enrolment en JOIN application a ON a.id = en.application_id' +
    ` WHERE a.email = ${sqlText(person.email)}`), 'registered', `${person.email} registered`);
  await page.close();
  return context;
}

// ------------------------------------------- the applicant's and participant's pages

const WIDTHS = [
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 800 }],
];
const widthContext = (name, viewport, options = {}) => newContext({ viewport,
  isMobile: name === 'phone', hasTouch: name === 'phone', ...options });

test('pages: the error summary lists each problem and its links move focus to the fields', async () => {
  for (const [name, viewport] of WIDTHS) {
    const context = await widthContext(name, viewport);
    try {
      const page = await openPage(context, `${EDITION}/apply`);
      await page.locator('main').getByLabel('Nombres', { exact: true }).fill('Ana');
      await submitApplication(page);
      const summary = page.locator('#error-summary');
      assert(await summary.isVisible(), `${name}: an error summary is shown`);
      assertEqual(await page.evaluate(() => document.activeElement.id), 'error-summary',
        `${name}: the summary takes the focus`);
      const text = await summary.innerText();
      assertIncludes(text, 'Elija al menos un curso.', `${name}: summary`);
      assertIncludes(text, 'Acepte el tratamiento de sus datos para postular.', `${name}: summary`);
      assertExcludes(text, 'Este campo es obligatorio', `${name}: summary`);
      const links = summary.locator('a');
      const n = await links.count();
      assert(n >= 8, `${name}: only ${n} links in the summary`);
      await page.screenshot({ path: path.join(OUT, `apply-errors-${name}-es.png`), fullPage: true });
      for (let i = 0; i < n; i++) {
        const target = (await links.nth(i).getAttribute('href')).slice(1);
        await summary.scrollIntoViewIfNeeded();
        await links.nth(i).click();
        assertEqual(await page.evaluate(() => document.activeElement.id), target,
          `${name}: focus after following "${await links.nth(i).innerText()}"`);
        const box = await page.locator(`#${target}`).boundingBox();
        assert(box && box.y >= -1 && box.y < viewport.height, `${name}: #${target} is in view`);
      }
      // The 422 answer itself is what the test asked for.
      page.problems = page.problems.filter((x) => !/status of 422/.test(x));
      noPageProblems(page, 'application form with errors');
    } finally {
      await context.close();
    }
  }
});

// Moves the Cyberdiplomacy course's blocks; returns a function that puts them back.
function moveCourse(setSql) {
  const blocks = "day_id IN (SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id" +
    " WHERE c.slug = 'cyberdiplomacy')";
  sql('DROP TABLE IF EXISTS e2e_blocks; CREATE TABLE e2e_blocks AS SELECT id, start_utc, end_utc' +
    ` FROM time_block WHERE ${blocks}`);
  const to = (s) => sql(`UPDATE time_block SET ${s} WHERE ${blocks}`);
  to(setSql);
  return {
    to,
    restore: () => sql('UPDATE time_block SET start_utc = (SELECT start_utc FROM e2e_blocks b' +
      ' WHERE b.id = time_block.id), end_utc = (SELECT end_utc FROM e2e_blocks b WHERE b.id =' +
      ` time_block.id) WHERE ${blocks}; DROP TABLE e2e_blocks`),
  };
}
const ISO = "'%Y-%m-%dT%H:%M:%SZ'";
const STAGE_PERSON = { ...CANDIDATE, email: 'marta.quiroga@cancilleria.example', given: 'Marta',
  family: 'Quiroga Salas', country: 'Argentina', course: 'Ciberdiplomacia' };

test('pages: /me gives the right next step at each stage of the programme, no withdrawing after the start', async () => {
  const admin = await adminContext();
  // The browser is in Madrid: the registration form preselects that zone.
  const context = await newContext({ timezoneId: 'Europe/Madrid' });
  // The course, moved a year ahead: it has not started.
  const course = moveCourse(`start_utc = strftime(${ISO}, 'now', '+1 year'),` +
    ` end_utc = strftime(${ISO}, 'now', '+1 year', '+4 hours')`);
  const person = STAGE_PERSON;
  const shots = [];
  try {
    const desk = await openPage(admin, '/admin');
    const page = await apply(context, person);
    await decide(desk, [person], 'Aceptar');
    await signInWithLink(page, person.email, { lenient: true });
    const card = page.locator('.course-card').filter({ has: page.locator('h3', { hasText: person.course }) });
    const step = async () => (await card.locator('.next-step').innerText()).trim();
    const withdraw = () => card.getByRole('button', { name: /Retirarme/ }).count();
    const at = async (stage, part, canWithdraw) => {
      await goto(page, '/me');
      assertEqual(await card.getAttribute('data-stage'), stage, 'stage on /me');
      assertIncludes(await step(), part, `next step when ${stage}`);
      assertEqual(await withdraw(), canWithdraw ? 1 : 0, `withdraw offered when ${stage}`);
      for (const [name, viewport] of WIDTHS) {
        await page.setViewportSize(viewport);
        const file = `me-${stage}-${name}.png`;
        await page.screenshot({ path: path.join(OUT, file), fullPage: true });
        shots.push(file);
      }
      noPageProblems(page, `/me (${stage})`);
    };
    await at('accepted', 'complete el formulario de inscripción', true);

    // The registration form: the browser's zone preselected; a place chosen.
    await Promise.all([
      page.waitForURL('**/me/applications/*/register'),
      page.getByRole('link', { name: 'Completar la inscripción' }).click(),
    ]);
    const zone = page.getByLabel(/^Zona horaria/);
    assertEqual(await zone.inputValue(), 'Europe/Madrid', 'zone preselected from the browser');
    assertIncludes(await page.locator('#time_zone optgroup').first().getAttribute('label'), 'América',
      'places grouped by region');
    await page.getByLabel('Ciudad desde la que se conectará', { exact: true }).fill('Chaguanas');
    await zone.selectOption({ label: 'Trinidad y Tobago — Port of Spain' });
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/me'),
      page.getByRole('button', { name: 'Confirmar inscripción' }).click(),
    ]);
    assertEqual(sql(`SELECT time_zone FROM application WHERE email = ${sqlText(person.email)}`),
      'America/Port_of_Spain', 'the zone of the chosen place is saved');

    await at('registered', 'Recibirá la invitación', true);
    // Each day with its times, in the participant's zone.
    assert(/\d{2}:\d{2}<\/time>–\d{2}:\d{2}/.test(await card.locator('.course-days').innerHTML()),
      'days with their times');
    assertIncludes(await card.innerText(), 'Horas de Port of Spain', 'the zone the times are in');

    const enrolment = sql('SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id' +
      ` JOIN course c ON c.id = en.course_id WHERE a.email = ${sqlText(person.email)}` +
      " AND c.slug = 'cyberdiplomacy'");
    sql('INSERT INTO invitation (enrolment_id, uid, sequence, schedule, sent_at)' +
      ` VALUES (${enrolment}, 'e2e-stage-uid', 0, '', '2026-01-01T00:00:00Z')`);
    await at('invited', 'calendario', true);
    assert(await card.getByRole('link', { name: 'Añadir al calendario' }).isVisible(), 'calendar link');

    course.to(`start_utc = strftime(${ISO}, 'now', '-1 hour'), end_utc = strftime(${ISO}, 'now', '+1 day')`);
    await at('in_session', 'Ingrese a las sesiones', false);

    course.to(`start_utc = strftime(${ISO}, 'now', '-3 days'), end_utc = strftime(${ISO}, 'now', '-2 days')`);
    // While the course's evaluation is open, answering it comes first ...
    sql(`UPDATE questionnaire SET opens_at = strftime(${ISO}, 'now', '-1 days'),` +
      ` closes_at = strftime(${ISO}, 'now', '+10 days')` +
      " WHERE course_id = (SELECT id FROM course WHERE slug = 'cyberdiplomacy')");
    await at('evaluation', 'Responda la evaluación', false);
    // ... and once it is closed, attendance is what is awaited.
    sql(`UPDATE questionnaire SET closes_at = strftime(${ISO}, 'now', '-1 hours')` +
      " WHERE course_id = (SELECT id FROM course WHERE slug = 'cyberdiplomacy')");
    await at('attendance_pending', 'registrando la asistencia', false);

    sql('INSERT INTO certificate (number, enrolment_id, facts, signature, key_id, issued_at, issued_by)' +
      ` VALUES ('SELA-2022-CYB-0990-E2ESTAGE', ${enrolment}, '{}', 'x', 'k', '2026-01-01T00:00:00Z', 'e2e')`);
    await at('certified', 'Descargue su certificado', false);
    const credential = card.locator('.credential');
    assertIncludes(await credential.innerText(), 'billetera digital o a un perfil profesional',
      'the digital credential explained');
    assert(await credential.getByRole('link', { name: 'Descargar la credencial digital' }).isVisible(),
      'the credential offered under its explanation');
  } finally {
    course.restore();
    sql("DELETE FROM certificate WHERE number = 'SELA-2022-CYB-0990-E2ESTAGE';" +
      " DELETE FROM invitation WHERE uid = 'e2e-stage-uid'");
    await context.close();
    await admin.close();
  }
});

// Checks HTML files with the Nu HTML checker (vnu.jar, run by Java); returns
// its errors as lines.
function nuErrors(files) {
  const jar = path.join(path.dirname(new URL(import.meta.url).pathname),
    'node_modules/vnu-jar/build/dist/vnu.jar');
  let out;
  try {
    out = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout', '--exit-zero-always',
      ...files], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new AssertionError(`the Nu checker did not run: ${e.message}`);
  }
  const json = JSON.parse(out);
  return json.messages.filter((m) => m.type === 'error')
    .map((m) => `${path.basename(m.url || '')}:${m.lastLine}: ${m.message}`);
}

const APPLICANT_PAGES = [
  ['/', 200], [EDITION, 200], [`${EDITION}/agenda`, 200], [`${EDITION}/speakers`, 200],
  [`${EDITION}/courses/cyberdiplomacy`, 200], [`${EDITION}/apply`, 200],
  [`${EDITION}/apply/done`, 200], ['/login', 200], ['/verify', 200],
  ['/verify/SELA-2022-CYB-0001-NOSUCHXX', 404],
];

test('pages: public and participant pages pass axe and the Nu checker in both languages; screenshots at both widths', async () => {
  const admin = await adminContext();
  const failures = [];
  const htmlDir = path.join(OUT, 'html');
  mkdirSync(htmlDir, { recursive: true });
  const files = [];
  const person = { ...CANDIDATE, email: 'rosa.benitez@mre.example', given: 'Rosa',
    family: 'Benítez Ayala', country: 'Paraguay', course: 'Tecnodiplomacia' };
  const context = await newContext();
  try {
    const desk = await openPage(admin, '/admin');
    const page = await apply(context, person);
    // The form with its errors, as served.
    await goto(page, `${EDITION}/apply`);
    const [errored] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('main').getByRole('button', { name: 'Enviar postulación' }).click(),
    ]);
    const erroredFile = path.join(htmlDir, 'apply-errors-es.html');
    writeFileSync(erroredFile, await errored.text());
    files.push(erroredFile);
    await decide(desk, [person], 'Aceptar');
    await signInWithLink(page, person.email, { lenient: true });
    const app = sql(`SELECT id FROM application WHERE email = ${sqlText(person.email)}`);
    const pages = [...APPLICANT_PAGES, ['/me', 200], [`/me/applications/${app}/register`, 200]];
    for (const lang of ['es', 'en']) {
      for (const [url, status] of pages) {
        const full = `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
        const view = await openPage(context);
        const served = await goto(view, full, status);
        assertEqual(await htmlLang(view), lang, `<html lang> of ${full}`);
        const bad = (await axeViolations(view))
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  axe ${full}\n${bad.map(describeViolation).join('\n')}`);
        const slug = url.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
        for (const [name, viewport] of WIDTHS) {
          await view.setViewportSize(viewport);
          await view.screenshot({ path: path.join(OUT, `page-${slug}-${name}-${lang}.png`), fullPage: true });
          if (name === 'phone') {
            const width = await view.evaluate(() => document.documentElement.scrollWidth);
            if (width > 390) failures.push(`  ${full} is ${width}px wide on a 390px phone`);
          }
        }
        // The bytes the server sent, for the Nu checker.
        const file = path.join(htmlDir, `${slug}-${lang}.html`);
        writeFileSync(file, await served.text());
        files.push(file);
        await view.close();
      }
    }
    await page.close();
    await desk.close();
  } finally {
    await context.close();
    await admin.close();
  }
  const nu = nuErrors(files);
  for (const e of nu) failures.push(`  Nu: ${e}`);
  console.log(`  note: the Nu checker read ${files.length} pages`);
  assert(failures.length === 0, `problems:\n${failures.join('\n')}`);
});

const VIDEO_TITLE = 'Grabación de prueba: lienzo animado (e2e)';

test('a training video uploaded in the console plays in a participant\'s browser', async () => {
  const contexts = [];
  try {
    // A real WebM, recorded by the browser itself.
    const maker = await newContext();
    contexts.push(maker);
    const blank = await maker.newPage();
    const video = Buffer.from(await recordWebm(blank), 'base64');
    assert(video.length > 2000, `the recording is only ${video.length} bytes`);
    assertEqual(video.subarray(0, 4).toString('hex'), '1a45dfa3', 'EBML signature of the WebM');

    // The administrator publishes it for the Cyberdiplomacy course.
    const admin = await adminContext();
    contexts.push(admin);
    const desk = await openPage(admin, '/admin/events/sela-2022/materials');
    assertEqual((await visibleText(desk, 'h1')).trim(), 'Material de capacitación',
      'materials console heading');
    await desk.getByLabel('Curso', { exact: true }).selectOption('cyberdiplomacy');
    await desk.getByLabel('Título (español)', { exact: true }).fill(VIDEO_TITLE);
    await desk.getByLabel('Título (inglés)', { exact: true }).fill('Test recording: animated canvas (e2e)');
    await desk.getByLabel('Archivo', { exact: true }).setInputFiles(
      { name: 'lienzo-animado.webm', mimeType: 'video/webm', buffer: video });
    await desk.getByRole('button', { name: 'Publicar' }).click();
    // The form is sent by XMLHttpRequest (for its progress bar), and the
    // answer replaces the page.
    await desk.getByText('Material publicado.').waitFor({ state: 'visible', timeout: 20_000 });
    const listed = desk.locator('main table tbody tr').filter({ hasText: VIDEO_TITLE });
    assertEqual(await listed.count(), 1, 'the video in the console\'s list');
    // The kind in words, never the stored type.
    const row = await listed.innerText();
    assertIncludes(row, 'Vídeo', 'kind shown in the list');
    assertExcludes(row, 'video/webm', 'kind shown in the list');
    const url = await listed.getByRole('link', { name: VIDEO_TITLE }).getAttribute('href');
    assert(/^\/materials\/\d+$/.test(url), `material address: ${url}`);

    // A participant of that course.
    const viewer = await participant(VIEWER, desk);
    contexts.push(viewer);
    const me = await openPage(viewer);
    const media = [];
    me.on('response', (r) => {
      if (new URL(r.url()).pathname === url) {
        media.push({ status: r.status(), type: r.headers()['content-type'] });
      }
    });
    await goto(me, '/me');
    const section = me.locator('section.course-materials')
      .filter({ has: me.getByRole('heading', { name: /Material de capacitación: .*Ciberdiplomacia/ }) });
    assertEqual(await section.count(), 1, 'Cyberdiplomacy material section on /me');
    const item = section.locator('li.material').filter({ hasText: VIDEO_TITLE });
    assertEqual(await item.count(), 1, 'the video listed on /me');
    const player = item.locator('video');
    assertEqual(await player.count(), 1, 'a <video> for the material');
    assertEqual(await player.getAttribute('src'), url, 'the player\'s source');
    assert(await player.isVisible(), 'the player is visible');
    // Laid out as a player of its own, below the material's title.
    const box = await player.boundingBox();
    const titleBox = await item.getByRole('link', { name: VIDEO_TITLE }).boundingBox();
    assert(box && box.width >= 160 && box.height >= 90, `the player's box: ${JSON.stringify(box)}`);
    assert(titleBox && box.y >= titleBox.y + titleBox.height - 1,
      `the player should be below the title: player ${JSON.stringify(box)}, title ${JSON.stringify(titleBox)}`);

    const startedAt = Date.now();
    await player.evaluate((v) => {
      v.muted = true;
      return Promise.race([v.play(), new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`play() did not start in 10 s (error: ${v.error && v.error.message})`)), 10_000))]);
    });
    await me.waitForTimeout(1000);
    await player.evaluate((v) => new Promise((resolve) => {
      const t0 = performance.now();
      const check = () => (v.currentTime > 0.5 || v.error || performance.now() - t0 > 4000
        ? resolve() : setTimeout(check, 50));
      check();
    }));
    const state = await player.evaluate((v) => ({
      currentTime: v.currentTime, error: v.error && `${v.error.code} ${v.error.message}`,
      readyState: v.readyState, width: v.videoWidth, height: v.videoHeight,
    }));
    assertEqual(state.error, null, 'video.error');
    assert(state.currentTime > 0.5,
      `currentTime ${state.currentTime} after ${Date.now() - startedAt} ms of playing`);
    assertEqual(`${state.width}x${state.height}`, '320x180', 'decoded picture size');
    assert(media.length > 0, 'the player fetched the video');
    for (const r of media) {
      assert(r.status === 200 || r.status === 206, `the player got HTTP ${r.status}`);
      assertEqual(r.type, 'video/webm', 'Content-Type given to the player');
    }
    await me.screenshot({ path: path.join(OUT, 'me-video.png'), fullPage: true });
    noPageProblems(me, '/me with the video');

    // The bytes served are the bytes uploaded, also by range.
    const whole = await viewer.request.get(BASE + url);
    assertEqual(whole.status(), 200, 'HTTP status of the whole video');
    assert(Buffer.compare(await whole.body(), video) === 0, 'the whole video is served unchanged');
    const part = await viewer.request.get(BASE + url, { headers: { Range: 'bytes=100-1099' } });
    assertEqual(part.status(), 206, 'HTTP status of a range');
    assertEqual(part.headers()['content-range'], `bytes 100-1099/${video.length}`, 'Content-Range');
    assertEqual(part.headers()['content-type'], 'video/webm', 'Content-Type of a range');
    assert(Buffer.compare(await part.body(), video.subarray(100, 1100)) === 0, 'the range\'s bytes');

    // A participant of the other course may not have it.
    const outsider = await participant(OUTSIDER, desk);
    contexts.push(outsider);
    const other = await openPage(outsider, '/me');
    assertEqual(await other.locator('video').count(), 0, 'no video on the other course\'s /me');
    assertExcludes(await visibleText(other, 'main'), VIDEO_TITLE, 'the other course\'s /me');
    await goto(other, url, 403);
    assertIncludes(await visibleText(other, 'main'),
      'Este material es solo para las personas inscritas en el curso.', 'the refusal');
  } finally {
    for (const c of contexts) await c.close();
  }
});

// ------------------------------------------------------ Zoom attendance import

// A registered participant of `course` ({email, name}), added straight to the
// database when the earlier tests registered nobody (a run with AULA_E2E_ONLY).
function registeredParticipant(course) {
  const pick = () => sql(
    'SELECT a.email || \'|\' || a.given_names || \' \' || a.family_names FROM enrolment en' +
    ' JOIN application a ON a.id = en.application_id JOIN course c ON c.id = en.course_id' +
    ` WHERE c.slug = ${sqlText(course)} AND en.status = 'registered' ORDER BY a.id LIMIT 1`);
  let row = pick();
  if (!row) {
    const email = 'rosa.quintero@cancilleria.example';
    sql('INSERT INTO account (email, role, created_at) VALUES' +
      ` (${sqlText(email)}, 'participant', '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING;` +
      ' INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,' +
      ' family_names, gender, country, institution_type, institution, position, language,' +
      ' consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, \'ms\', \'Rosa\',' +
      ' \'Quintero\', \'female\', \'CO\', \'academia\', \'U\', \'P\', \'es\', \'2026-01-01T00:00:00Z\',' +
      ` 'e2e-zoom', '2026-01-01T00:00:00Z' FROM edition e, account a WHERE e.slug = 'sela-2022'` +
      ` AND a.email = ${sqlText(email)};` +
      ' INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id, c.id,' +
      ` 'registered', '2026-01-01T00:00:00Z' FROM application ap, course c WHERE ap.email =` +
      ` ${sqlText(email)} AND c.slug = ${sqlText(course)};`);
    row = pick();
  }
  const [email, name] = row.split('|');
  return { email, name };
}

const keptPreviews = () => {
  try {
    return readdirSync(path.join(DATA, 'tmp')).filter((f) => f.startsWith('attendance-preview-'));
  } catch { return []; }
};

test('a Zoom report is previewed, changes nothing until confirmed, then shows in the grid', async () => {
  const admin = await adminContext();
  try {
    const person = registeredParticipant('cyberdiplomacy');
    // As a Spanish spreadsheet re-saves Zoom's Spanish export: ';', day first, no seconds.
    const report = [
      'Nombre (nombre original);E-mail del usuario;Hora para unirse;Hora para salir;Duración (minutos);Invitado',
      `${person.name};${person.email};22/03/2022 8:55;22/03/2022 10:40;105;No`,
      `${person.name};${person.email};22/03/2022 11:00;22/03/2022 13:10;130;No`,
      'Intérprete EN;;22/03/2022 8:50;22/03/2022 13:05;255;Sí',
      '',
    ].join('\r\n');
    const dayImports = () => sql('SELECT count(*) FROM attendance_import i JOIN course_day d' +
      ' ON d.id = i.course_day_id JOIN course c ON c.id = d.course_id' +
      ' WHERE c.slug = \'cyberdiplomacy\' AND d.day = \'2022-03-22\'');
    const before = dayImports();

    const page = await openPage(admin, '/admin/events/sela-2022/attendance?course=cyberdiplomacy');
    await page.locator('#date').selectOption('2022-03-22');
    await page.locator('#time_zone').fill('America/Caracas');
    await page.locator('#report').setInputFiles(
      { name: 'informe-22-marzo.csv', mimeType: 'text/csv', buffer: Buffer.from(report, 'utf8') });
    await page.getByRole('button', { name: /Revisar el informe/ }).click();
    // Sent by XMLHttpRequest (for its progress bar); the answer replaces the page.
    await page.getByRole('heading', { name: 'Revise el informe antes de importarlo' })
      .waitFor({ state: 'visible', timeout: 20_000 });
    const fact = async (label) => (await page.locator('dl.import-summary dt', { hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]').innerText()).trim();
    assertEqual(await fact('Archivo'), 'informe-22-marzo.csv', 'file in the preview');
    assertEqual(await fact('Idioma de Zoom'), 'español', 'interface language recognised');
    assertIncludes(await fact('Codificación y separador'), 'puntos y comas', 'separator recognised');
    assertEqual(await fact('Orden de las fechas'), 'día primero (21/03/2022)', 'date order');
    assertEqual(await fact('Filas'), '3', 'rows');
    assertIncludes(await visibleText(page, 'ul.import-matched'), person.email, 'matched by email');
    assertIncludes(await visibleText(page, 'ul.import-unmatched'), 'Intérprete EN',
      'a name waiting for a decision');
    // Nothing is stored yet; the report waits on the server.
    assertEqual(dayImports(), before, 'imports of the day after the preview');
    assertEqual(keptPreviews().length, 2, 'files kept for the confirmation');
    const serious = (await axeViolations(page)).filter((v) => ['serious', 'critical'].includes(v.impact));
    assert(serious.length === 0, `the preview's accessibility:\n${serious.map(describeViolation).join('\n')}`);
    await page.screenshot({ path: path.join(OUT, 'attendance-preview.png'), fullPage: true });

    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/attendance') && u.searchParams.get('done') === '1'),
      page.getByRole('button', { name: 'Confirmar la importación' }).click(),
    ]);
    assertEqual((await page.locator('main .notice[role="status"]').first().innerText()).trim(),
      'Cambios guardados.', 'notice after confirming');
    // 09:00-10:40 and 11:00-13:00 of the 09:00-13:00 session: 220 minutes.
    const row = page.locator('table.attendance tbody tr').filter({ hasText: person.email });
    assertEqual(await row.count(), 1, `the grid's rows for ${person.email}`);
    assertIncludes(await row.locator('td').nth(1).innerText(), '220 min', 'minutes of 22 March');
    assertEqual(sql('SELECT i.file_name || \'|\' || i.rows FROM attendance_import i JOIN course_day d' +
      ' ON d.id = i.course_day_id JOIN course c ON c.id = d.course_id' +
      ' WHERE c.slug = \'cyberdiplomacy\' AND d.day = \'2022-03-22\''), 'informe-22-marzo.csv|3',
    'the import stored');
    assertEqual(keptPreviews().length, 0, 'files kept after the import');
    noPageProblems(page, 'attendance import');
  } finally {
    await admin.close();
  }
});


// ------------------------------------------- bulk actions (issue 14, 3 and 4)

// Adds a person straight to the database (application and one enrolment):
// these tests are about the console, and the server limits applications
// per hour from one address.
function addPerson({ email, given, family, country = 'CL', language = 'es', course, status }) {
  sql(`INSERT INTO account (email, role, created_at) VALUES (${sqlText(email)}, 'participant',` +
    ` '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING`);
  sql('INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,' +
    ' family_names, gender, country, institution_type, institution, position, language,' +
    ' motivation, consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, \'ms\',' +
    ` ${sqlText(given)}, ${sqlText(family)}, 'female', ${sqlText(country)}, 'academia',` +
    ` 'Universidad de Chile', 'Investigadora', ${sqlText(language)}, 'Motivación de prueba',` +
    ` '2026-01-01T00:00:00Z', ${sqlText('e2e-' + email)}, '2026-01-01T12:00:00Z'` +
    ` FROM edition e, account a WHERE e.slug = 'sela-2022' AND a.email = ${sqlText(email)}`);
  sql('INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id, c.id,' +
    ` ${sqlText(status)}, '2026-01-01T12:00:00Z' FROM application ap, course c` +
    ` WHERE ap.email = ${sqlText(email)} AND c.slug = ${sqlText(course)}`);
}

const NUNEZ = { email: 'rosa.nunez@minrel.example', given: 'Rosa', family: 'Núñez Peña',
  course: 'techplomacy', status: 'submitted' };
const BERNAL = { email: 'luis.bernal@minrel.example', given: 'Luis', family: 'Bernal Núñez',
  language: 'en', course: 'techplomacy', status: 'submitted' };

test('applications: search without accents, a filter, select all and a bulk decision with preview', async () => {
  addPerson(NUNEZ);
  addPerson(BERNAL);
  const context = await adminContext();
  try {
    const page = await openPage(context, '/admin/events/sela-2022/applications');
    await page.getByLabel('Buscar', { exact: true }).fill('nunez');
    await page.getByLabel('País', { exact: true }).selectOption({ label: 'Chile' });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Filtrar', exact: true }).click(),
    ]);
    const rows = page.locator('main tbody tr[id^="row-"]');
    assertEqual(await rows.count(), 2, 'rows found by "nunez" in Chile');
    assertIncludes(await rows.first().innerText(), 'Núñez', 'the accented name is found');
    assertExcludes(await visibleText(page, 'main table.data:not(.counts)'), CANDIDATE.email,
      'the filter leaves out other people');
    await page.screenshot({ path: path.join(OUT, 'review-search-es.png'), fullPage: true });
    // Select all, then decide from the bar above the table.
    await page.getByRole('checkbox', { name: 'Seleccionar todas las filas' }).check();
    assertEqual(await page.locator('main tbody input[name=enrolment]:checked').count(), 2,
      'select all ticks every row');
    await page.getByRole('radio', { name: 'Lista de espera', exact: true }).check();
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Aplicar', exact: true }).click(),
    ]);
    assertEqual((await visibleText(page, 'h1')).trim(), 'Confirmar las decisiones', 'preview heading');
    assertEqual((await page.locator('.js-count').innerText()).trim(), '2', 'people reached');
    const previews = page.locator('.mail-preview h3');
    assertEqual(await previews.count(), 2, 'one message in each language');
    assertEqual(sql(`SELECT status FROM enrolment WHERE application_id = (SELECT id FROM` +
      ` application WHERE email = ${sqlText(NUNEZ.email)})`), 'submitted', 'nothing done before confirming');
    await page.screenshot({ path: path.join(OUT, 'review-decide-preview-es.png'), fullPage: true });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Confirmar y enviar los mensajes' }).click(),
    ]);
    const url = new URL(page.url());
    assertEqual(url.searchParams.get('q'), 'nunez', 'the search is kept after deciding');
    assertEqual(url.searchParams.get('country'), 'CL', 'the filter is kept after deciding');
    assertEqual(await rows.count(), 2, 'the same rows after deciding');
    for (const r of await rows.all())
      assertEqual((await r.locator('.status').innerText()).trim(), 'En lista de espera', 'new status');
    noPageProblems(page, 'bulk decision');
  } finally {
    await context.close();
  }
});

test('invitations: preview with the link masked, confirmation, then "nothing to send"', async () => {
  addPerson({ email: 'ines.rojas@minrel.example', given: 'Inés', family: 'Rojas',
    course: 'techplomacy', status: 'registered' });
  const context = await adminContext();
  try {
    const page = await openPage(context, '/admin/events/sela-2022/applications');
    const row = page.locator('main table.counts tbody tr').filter({ hasText: 'Tecnodiplomacia' });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      row.getByRole('link', { name: 'Enviar invitaciones a las personas inscritas' }).click(),
    ]);
    assertEqual((await visibleText(page, 'h1')).trim(), 'Enviar invitaciones', 'preview heading');
    assert(Number(await page.locator('.js-count').innerText()) >= 1, 'people reached');
    const text = await visibleText(page, 'main');
    // A language's message only when someone invited reads it.
    const english = Number(sql('SELECT count(*) FROM enrolment en JOIN application a ON' +
      ' a.id = en.application_id JOIN course c ON c.id = en.course_id WHERE c.slug =' +
      ' \'techplomacy\' AND en.status = \'registered\' AND a.language = \'en\''));
    assertIncludes(text, 'Mensaje en español', 'Spanish preview');
    (english ? assertIncludes : assertExcludes)(text, 'Mensaje en inglés', 'English preview');
    assertIncludes(text, '/j/••••••••', 'the join link is masked');
    await page.screenshot({ path: path.join(OUT, 'invitations-preview-es.png'), fullPage: true });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Confirmar y enviar las invitaciones' }).click(),
    ]);
    assert(new URL(page.url()).pathname.startsWith('/admin/batches/'), 'progress page');
    assertEqual((await visibleText(page, 'h1')).trim(), 'Envío de invitaciones', 'progress heading');
    await goto(page, '/admin/events/sela-2022/courses/techplomacy/invitations');
    assertIncludes(await visibleText(page, 'main'), 'No hay invitaciones que enviar',
      'nothing to send is said');
    assertEqual(await page.locator('form.bulk-confirm').count(), 0, 'and nothing to confirm');
    await page.screenshot({ path: path.join(OUT, 'invitations-nothing-es.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('certificates: preview, confirmation, and a progress page titled for certificates', async () => {
  sql('INSERT INTO eligibility_grant (enrolment_id, reason, granted_by, granted_at) SELECT en.id,' +
    ' \'e2e\', \'admin@example.org\', \'2026-01-01T00:00:00Z\' FROM enrolment en JOIN application a' +
    ` ON a.id = en.application_id WHERE a.email = 'ines.rojas@minrel.example'`);
  const context = await adminContext();
  try {
    const page = await openPage(context, '/admin/events/sela-2022/certificates?course=techplomacy');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Emitir los certificados de todas las personas que cumplen' }).click(),
    ]);
    assertEqual((await visibleText(page, 'h1')).trim(), 'Emitir certificados', 'preview heading');
    assertEqual((await page.locator('.js-count').innerText()).trim(), '1', 'people reached');
    // Inés reads Spanish: her message, and no English one.
    assertIncludes(await visibleText(page, 'main'), 'Mensaje en español', 'Spanish preview');
    assertExcludes(await visibleText(page, 'main'), 'Mensaje en inglés', 'English preview');
    await page.screenshot({ path: path.join(OUT, 'certificates-preview-es.png'), fullPage: true });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Confirmar y emitir los certificados' }).click(),
    ]);
    assertEqual((await visibleText(page, 'h1')).trim(), 'Envío de certificados', 'progress heading');
    assertEqual(sql('SELECT count(*) FROM certificate c JOIN enrolment en ON en.id = c.enrolment_id' +
      ' JOIN application a ON a.id = en.application_id WHERE a.email = \'ines.rojas@minrel.example\''),
      '1', 'one certificate issued');
  } finally {
    await context.close();
  }
});

test('review, previews and certificates: no sideways scrolling on a phone, no serious accessibility violation', async () => {
  const failures = [];
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await adminContext();
    try {
      const page = await openPage(context);
      await page.setViewportSize(viewport);
      for (const url of ['/admin/events/sela-2022/applications',
                         '/admin/events/sela-2022/courses/techplomacy/invitations',
                         '/admin/events/sela-2022/courses/cyberdiplomacy/invitations',
                         '/admin/events/sela-2022/certificates/issue?course=cyberdiplomacy',
                         '/admin/events/sela-2022/certificates?course=techplomacy',
                         '/admin/events/sela-2022/invitation-updates']) {
        await goto(page, url);
        const bad = (await axeViolations(page))
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${name} ${url}\n${bad.map(describeViolation).join('\n')}`);
        if (name === 'phone') {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 390) failures.push(`  ${url} is ${width}px wide on a 390px phone`);
        }
        await page.screenshot({ path: path.join(OUT, `bulk-${name}${url.replace(/[/?=&]/g, '-')}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  }
  assert(failures.length === 0, `console problems:\n${failures.join('\n')}`);
});

// ----------------------------------------------- people and the organisation

// Every console page an administrator reaches, for the phone-width and
// wording checks.
const CONSOLE_PAGES = ['/admin', '/admin/people', '/admin/settings', '/admin/events/sela-2022',
  '/admin/events/sela-2022/applications', '/admin/events/sela-2022/meetings',
  '/admin/events/sela-2022/attendance', '/admin/events/sela-2022/certificates',
  '/admin/events/sela-2022/materials', '/admin/outbox', '/admin/audit'];

// Values as stored, which a coordinator should never read on a page.
const RAW_WORDS = /\b(published|draft|queued|sending|sent|failed|valid|revoked|superseded|submitted|waitlisted|rejected|withdrawn|admin|coordinator|trainer|account\.[a-z_]+|session\.start|cyberdiplomacy|techplomacy)\b/;
const RAW_FORMS = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d+\.\d MB|\bcandidat[oa]s?\b/i;

test('an administrator adds a trainer, changes the role and deactivates them; the logo and the public address', async () => {
  const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await signIn(context);
    await goto(page, '/admin/people?lang=en');
    const email = `trainer.${Date.now()}@example.org`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.locator('#role').selectOption('trainer');
    await Promise.all([
      page.waitForURL('**/admin/people?done=added'),
      page.getByRole('button', { name: 'Add and send the link' }).click(),
    ]);
    assertIncludes(await visibleText(page, 'main'), 'Person added', 'notice after adding');
    const row = page.locator('ul.people > li').filter({ hasText: email });
    assertIncludes(await row.innerText(), 'Trainer', 'the new row');
    assertIncludes(await row.innerText(), 'no password yet', 'the new row');
    // The link goes by mail only.
    assertExcludes(await page.content(), '/password/', 'the people page');
    await page.screenshot({ path: path.join(OUT, 'people-added-phone-en.png'), fullPage: true });

    await row.locator('select').selectOption('coordinator');
    await Promise.all([
      page.waitForURL('**/admin/people?done=role'),
      row.getByRole('button', { name: 'Change the role' }).click(),
    ]);
    assertIncludes(await page.locator('ul.people > li').filter({ hasText: email }).innerText(),
      'Coordinator', 'the row after the change');
    await Promise.all([
      page.waitForURL('**/admin/people?done=deactivate'),
      page.locator('ul.people > li').filter({ hasText: email })
        .getByRole('button', { name: 'Deactivate' }).click(),
    ]);
    assertIncludes(await page.locator('ul.people > li').filter({ hasText: email }).innerText(),
      'deactivated', 'the row after deactivating');
    assertEqual(sql(`SELECT role || active FROM account WHERE email = ${sqlText(email)}`).trim(),
      'coordinator0', 'the account in the database');
    // The only administrator cannot step down.
    const me = page.locator('ul.people > li').filter({ hasText: ADMIN.email });
    await me.locator('select').selectOption('trainer');
    await me.getByRole('button', { name: 'Change the role' }).click();
    await page.waitForLoadState('load');
    assertIncludes(await visibleText(page, 'main'), 'no active administrator would be left',
      'refusal to demote the last administrator');
    await page.screenshot({ path: path.join(OUT, 'people-last-admin-phone-en.png'), fullPage: true });

    // The public address: asked for while links point at this machine.
    await goto(page, '/admin?lang=en');
    assert(await page.locator('#address-warning').isVisible(), 'no localhost warning on the console home');
    await page.locator('#address-warning a').click();
    await page.waitForURL('**/admin/settings');
    await page.getByLabel("The site's public address").fill('https://aula.example.org/path');
    await page.getByRole('button', { name: 'Save the address' }).click();
    await page.waitForLoadState('load');
    assertIncludes(await visibleText(page, 'main'), 'followed only by the site', 'a path is refused');
    await page.getByLabel("The site's public address").fill('https://aula.example.org');
    await Promise.all([
      page.waitForURL('**/admin/settings?done=address'),
      page.getByRole('button', { name: 'Save the address' }).click(),
    ]);
    assertEqual(await page.locator('#address-warning').count(), 0, 'warnings once the address is set');
    await page.screenshot({ path: path.join(OUT, 'settings-address-phone-en.png'), fullPage: true });

    // The logo: an SVG is refused, a PNG shown in the header.
    await page.locator('#file').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await page.getByRole('button', { name: 'Upload the logo' }).click();
    await page.waitForLoadState('load');
    assertIncludes(await visibleText(page, 'main'), 'Only PNG or JPEG', 'an SVG is refused');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAACAAAAAQCAIAAAD4YuoOAAAAHUlEQVR4nGMQ0UihKWIYtWDUglELRi0YtWAoWAAAntdAEJYEP8gAAAAASUVORK5CYII=', 'base64');
    await page.locator('#file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
    await Promise.all([
      page.waitForURL('**/admin/settings?done=logo'),
      page.getByRole('button', { name: 'Upload the logo' }).click(),
    ]);
    const logo = page.locator('header img.brand-logo');
    assertEqual(await logo.count(), 1, 'logos in the header');
    assert(await logo.evaluate((img) => img.complete && img.naturalWidth === 32), 'the header logo did not load');
    await page.screenshot({ path: path.join(OUT, 'settings-logo-phone-en.png'), fullPage: true });

    // Leave the server as the other tests expect it: no logo, links to BASE.
    await page.getByRole('button', { name: 'Remove the logo' }).click();
    await page.waitForURL('**/admin/settings?done=logo_removed');
    await page.getByLabel("The site's public address").fill(BASE);
    await Promise.all([
      page.waitForURL('**/admin/settings?done=address'),
      page.getByRole('button', { name: 'Save the address' }).click(),
    ]);
  } finally {
    await context.close();
  }
});

test('every console page fits a 390 px phone, passes axe and shows no raw values', async () => {
  const failures = [];
  const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await signIn(context);
    for (const lang of ['es', 'en']) {
      for (const url of CONSOLE_PAGES) {
        await goto(page, `${url}?lang=${lang}`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) failures.push(`  ${url}?lang=${lang} is ${width}px wide on a 390px phone`);
        const bad = (await axeViolations(page))
          .filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${url}?lang=${lang}\n${bad.map(describeViolation).join('\n')}`);
        // Email addresses are people's, not values (admin@example.org).
        const text = (await visibleText(page, 'main')).replace(/\S+@\S+/g, '');
        // English words are fine in English; stored values are lower case
        // and appear alone, so Spanish pages are checked for them.
        const raw = (lang === 'es' ? text.match(RAW_WORDS) : null) || text.match(RAW_FORMS);
        if (raw) failures.push(`  ${url}?lang=${lang} shows the raw value ${JSON.stringify(raw[0])}`);
        await page.screenshot({ path: path.join(OUT, `people-phone${url.replace(/\//g, '-')}-${lang}.png`), fullPage: true });
      }
    }
  } finally {
    await context.close();
  }
  assert(failures.length === 0, `console pages:\n${failures.join('\n')}`);
});

// -------------------------------------------------------------------- runner

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- evaluation

test('a participant answers the evaluation from the emailed link on a phone; a second submission is refused', async () => {
  // A registered participant of the techplomacy course, written to the database.
  const email = 'evaluadora.e2e@example.org';
  sql(`INSERT INTO account (email, role, created_at) VALUES (${sqlText(email)}, 'participant',` +
    ` '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING`);
  sql(`INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,` +
    ` family_names, gender, country, institution_type, institution, position, language,` +
    ` consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, 'ms', 'Eva', 'Luadora',` +
    ` 'female', 'VE', 'academia', 'U', 'P', 'es', '2026-01-01T00:00:00Z', 'k-e2e-eval',` +
    ` '2026-01-01T00:00:00Z' FROM edition e, account a WHERE e.slug = 'sela-2022' AND a.email = ${sqlText(email)}`);
  sql(`INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id, c.id,` +
    ` 'registered', '2026-01-01T00:00:00Z' FROM application ap, course c` +
    ` WHERE ap.email = ${sqlText(email)} AND c.slug = 'techplomacy'`);
  // The demo edition's evaluation is open, since 2022; opening it now makes the mail
  // worker send the invitation.
  sql(`UPDATE questionnaire SET opens_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute')` +
    ` WHERE course_id = (SELECT id FROM course WHERE slug = 'techplomacy')`);
  const id = await until(`an evaluation invitation for ${email}`, () => sql(
    `SELECT id FROM outbox WHERE kind = 'evaluation_invitation' AND to_addr = ${sqlText(email)}`),
  45_000);
  // The outbox shows the link masked; the delivered mail carries it.
  const stored = sql(`SELECT body_text FROM outbox WHERE id = ${Number(id)}`);
  assert(!/\/evaluation\/[A-Za-z0-9_-]{16,}/.test(stored), `the outbox shows a usable link:\n${stored}`);
  const body = await deliveredMail(id);
  const m = body.match(/https?:\/\/\S+\/evaluation\/[A-Za-z0-9_-]+\?lang=es/);
  assert(m, `no evaluation link in the message:\n${body}`);
  const link = new URL(m[0]).pathname + new URL(m[0]).search;

  const phone = await newContext({ viewport: { width: 375, height: 740 }, isMobile: true,
    hasTouch: true, deviceScaleFactor: 1 });
  try {
    // Without signing in.
    const page = await openPage(phone, link);
    const second = await openPage(phone, link);
    assertEqual((await visibleText(page, 'h1')).trim(), 'Evaluación del curso', 'heading');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 375, `the form is ${width}px wide on a 375px phone`);
    const violations = (await axeViolations(page)).filter((v) => ['serious', 'critical'].includes(v.impact));
    assert(violations.length === 0, `accessibility:\n${violations.map(describeViolation).join('\n')}`);
    // Every question is a fieldset with a legend; answer each scale by tapping its label.
    const names = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
    assert(names.length >= 10, `radio groups on the form: ${names.length}`);
    for (const name of names) {
      const choice = page.locator(`input[type=radio][name="${name}"][value="4"]`);
      await (await choice.count() ? choice : page.locator(`input[type=radio][name="${name}"]`).first()).check();
    }
    await page.getByRole('group', { name: /Qué mejoraría/ }).getByRole('textbox').fill('Más ejercicios prácticos');
    await page.screenshot({ path: path.join(OUT, 'evaluation-phone.png'), fullPage: true });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'Enviar respuestas' }).click(),
    ]);
    assertIncludes(await visibleText(page, 'main'), 'Gracias: sus respuestas se han recibido.', 'thanks');
    noPageProblems(page, 'evaluation form');

    // The same form, opened before, sent again: refused, nothing more stored.
    for (const name of names) {
      await second.locator(`input[type=radio][name="${name}"]`).first().check();
    }
    const [res] = await Promise.all([
      second.waitForNavigation({ waitUntil: 'load' }),
      second.getByRole('button', { name: 'Enviar respuestas' }).click(),
    ]);
    assertEqual(res.status(), 409, 'status of a second submission');
    assertIncludes(await visibleText(second, 'main'), 'solo se acepta un envío', 'refusal');
    assertEqual(sql(`SELECT count(*) FROM evaluation_response r JOIN questionnaire q ON q.id = r.questionnaire_id` +
      ` JOIN course c ON c.id = q.course_id WHERE c.slug = 'techplomacy'`), '1', 'answers stored');
  } finally {
    await phone.close();
  }
  // The answer appears in the results.
  const admin = await adminContext();
  try {
    const page = await openPage(admin, '/admin/events/sela-2022/courses/techplomacy/evaluation');
    assertIncludes(await visibleText(page, '#eval-rate'), 'Respuestas: 1', 'respondents in the results');
    assertIncludes(await visibleText(page, 'main'), 'Más ejercicios prácticos', 'the free text in the results');
    assert(await page.locator('main svg.chart').count() > 3, 'charts in the results');
    const violations = (await axeViolations(page)).filter((v) => ['serious', 'critical'].includes(v.impact));
    assert(violations.length === 0, `results page accessibility:\n${violations.map(describeViolation).join('\n')}`);
    noPageProblems(page, 'evaluation results');
  } finally {
    await admin.close();
  }
});

// Playwright's errors carry a long call log: keep their first line and where
// in this file they were raised.
function briefError(e) {
  const lines = String(e && e.message || e).split('\n');
  const waiting = lines.find((l) => /waiting for/.test(l));
  const first = lines[0] + (waiting ? `\n${waiting.replace(/\x1b\[\d+m/g, '').trim()}` : '');
  const here = String(e && e.stack || '').split('\n').find((l) => l.includes('tests.mjs'));
  return here ? `${first}\n${here.trim()}` : first;
}

let passed = 0;
let failed = 0;
try {
  browser = await withTimeout(chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
    timeout: 30_000,
  }), 40_000, 'launching Chromium');
} catch (e) {
  console.log(`FAIL - launching Chromium\n  ${e.message}`);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}

const only = process.env.AULA_E2E_ONLY;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const started = Date.now();
  try {
    await withTimeout(t.fn(), TEST_TIMEOUT_MS, t.name);
    passed++;
    console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name}`);
    const detail = e instanceof AssertionError ? e.message : briefError(e);
    console.log(detail.split('\n').map((l) => `  ${l}`).join('\n'));
  }
}

await withTimeout(browser.close(), 15_000, 'closing Chromium').catch((e) => {
  console.log(`  note: ${e.message}`);
});
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
