// SPDX-License-Identifier: AGPL-3.0-or-later
// The whole programme run from the console (issue 14), in a browser, as a
// coordinator: applications reviewed with a search that ignores accents, a
// filter and the detail page, decided with a preview; the meetings of every
// day saved at once; the invitations previewed and sent; each day's Zoom
// report imported (in the shapes of two real exports), an unmatched row
// assigned and the interpreter dismissed; the certificates previewed and
// issued.  The console home's next steps are read after each stage.  Then
// every console page (found by following the console's own links) is checked
// by axe-core (no serious or critical violation), for raw stored values, for
// sideways scrolling at phone width, and by the Nu HTML checker
// (no error), in Spanish and English, together with the pages of the journey
// as they were served (previews answered to a POST included).
//
// Run by run.sh after tests.mjs.  It serves its own fresh data directory with
// AULA_BIN (so that the next steps start from nothing), on 127.0.0.1.
// Screenshots go to AULA_E2E_OUT (journey-*.png).  Ends with
// "browser: N passed, N failed".
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const here = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(here, '../..');
const BIN = process.env.AULA_BIN || '';
const OUT = process.env.AULA_E2E_OUT || path.join(ROOT, 'test-output');
const HTML_OUT = path.join(OUT, 'html-journey');
const JAR = path.join(here, 'node_modules/vnu-jar/build/dist/vnu.jar');

const COORD = { email: 'coordinacion@sela.example', password: 'coordinacion-clave-1' };
const ADMIN = { email: 'admin@sela.example', password: 'administracion-clave-1' };
const COURSE = 'Curso de especialización en Ciberdiplomacia';
const EV = '/admin/events/sela-2022';

// ---------------------------------------------------------------- reporting

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
function assertEqual(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
function assertIncludes(text, part, what) {
  assert(text.includes(part), `${what}: ${JSON.stringify(part)} not found in:\n${text.slice(0, 1500)}`);
}

// ------------------------------------------------------------ the server

let DATA = '';
let BASE = '';
let server = null;

function aula(args, input) {
  return execFileSync(BIN, args, { input, encoding: 'utf8', timeout: 60_000 });
}

async function startServer() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aula-journey-'));
  DATA = path.join(dir, 'data');
  aula(['init', '--data', DATA]);
  aula(['import', '--data', DATA, path.join(ROOT, 'examples/sela-2022/programme.json')]);
  aula(['user', 'add', '--data', DATA, '--role', 'admin', ADMIN.email], `${ADMIN.password}\n`);
  aula(['user', 'add', '--data', DATA, '--role', 'coordinator', COORD.email], `${COORD.password}\n`);
  server = spawn(BIN, ['serve', '--data', DATA, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.resume();
  BASE = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server did not say where it listens')), 10_000);
    server.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/aula: listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        // The address as a browser reaches it; the server listens on loopback.
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    server.on('exit', () => reject(new Error('the server stopped')));
  });
  return dir;
}

function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(DATA, 'aula.db'), query],
    { encoding: 'utf8', timeout: 15_000 }).trim();
}
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

async function until(what, fn, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The delivered message (DATA/mail/ID.eml) of outbox row id, its
// quoted-printable undone.
async function deliveredMail(id) {
  const file = path.join(DATA, 'mail', `${String(id).padStart(6, '0')}.eml`);
  const raw = await until(`message ${id} delivered`, () => {
    try { return readFileSync(file, 'latin1'); } catch { return null; }
  });
  const bytes = raw.replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

// -------------------------------------------------------------- the browser

let browser;
let shot = 0;
const served = []; // HTML files of the journey's pages, for the Nu checker

async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return context;
}

// Keeps the HTML of a response as served (not the DOM after scripts).
async function keep(response, name) {
  if (!response) return;
  const type = response.headers()['content-type'] || '';
  if (!type.startsWith('text/html')) return;
  const file = path.join(HTML_OUT, `journey-${String(served.length).padStart(2, '0')}-${name}.html`);
  writeFileSync(file, await response.text());
  served.push(file);
}

async function goto(page, url, name, expect = 200) {
  const res = await page.goto(BASE + url, { waitUntil: 'load' });
  assert(res, `no response for ${url}`);
  assertEqual(res.status(), expect, `HTTP status of ${url}`);
  await keep(res, name);
  return res;
}

// Clicks what leads to another page and keeps that page's HTML.
async function follow(page, locator, name) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  await keep(res, name);
  return res;
}

async function screenshot(page, name) {
  shot++;
  await page.screenshot({ path: path.join(OUT, `journey-${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

const text = (page, selector = 'main') => page.locator(selector).first().innerText();
const heading = async (page) => (await text(page, 'h1')).trim();

async function signIn(context, who) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`script error: ${e.message}`));
  await goto(page, '/login', 'login');
  await page.getByLabel(/correo|email/i).fill(who.email);
  await page.getByLabel(/contraseña|password/i).fill(who.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main form:has(input[type=password]) button[type=submit]').click(),
  ]);
  return page;
}

// The texts of the console home's next steps (Spanish), after opening it.
async function nextSteps(page, name) {
  await goto(page, '/admin', `home-${name}`);
  await screenshot(page, `home-${name}`);
  return page.locator('ul.next-steps li').allInnerTexts();
}
const hasStep = (steps, s) => steps.some((t) => t.trim() === s);

async function axeSerious(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// ---------------------------------------------------------------- the people

const PEREZ = { email: 'maria.perez@mre.example', address: 'Embajador(a)', given: 'María Fernanda',
  family: 'Pérez Gómez', gender: 'Femenino', country: 'Venezuela',
  institutionType: 'Ministerio de Relaciones Exteriores', institution: 'Ministerio del Poder Popular para Relaciones Exteriores',
  position: 'Consejera', phone: '+58 212 806 4400', language: 'Español',
  motivation: 'Coordino la agenda digital de la Cancillería.', city: 'Caracas', place: 'Venezuela — Caracas' };
const LIMA = { ...PEREZ, email: 'jorge.lima@itamaraty.example', address: 'Secretario(a)', given: 'Jorge',
  family: 'Lima Gonçalves', gender: 'Masculino', country: 'Brasil', institution: 'Itamaraty',
  position: 'Secretario', language: 'Inglés', city: 'Brasília', place: 'Brasil — Sao Paulo' };
const QUISPE = { ...PEREZ, email: 'ana.quispe@rree.example', given: 'Ana Lucía', family: 'Quispe Huamán',
  country: 'Perú', institution: 'Ministerio de Relaciones Exteriores del Perú' };
// The address Jorge joins Zoom with: not the one he applied with.
const LIMA_ZOOM = 'jorge.lima.casa@gmail.example';

async function applyAs(context, p) {
  const page = await context.newPage();
  await goto(page, '/events/sela-2022/apply', 'apply');
  const main = page.locator('main');
  await main.getByRole('checkbox', { name: /Ciberdiplomacia/ }).check();
  await main.getByLabel('Tratamiento', { exact: true }).selectOption({ label: p.address });
  await main.getByLabel('Nombres', { exact: true }).fill(p.given);
  await main.getByLabel('Apellidos', { exact: true }).fill(p.family);
  await main.getByLabel('Género', { exact: true }).selectOption({ label: p.gender });
  await main.getByLabel('País', { exact: true }).selectOption({ label: p.country });
  await main.getByLabel('Tipo de institución', { exact: true }).selectOption({ label: p.institutionType });
  await main.getByLabel('Institución', { exact: true }).fill(p.institution);
  await main.getByLabel('Cargo o rango', { exact: true }).fill(p.position);
  await main.getByLabel('Correo electrónico institucional', { exact: true }).fill(p.email);
  await main.getByLabel('Teléfono (opcional)', { exact: true }).fill(p.phone);
  await main.getByLabel('Idioma preferido', { exact: true }).selectOption({ label: p.language });
  await main.getByLabel('Motivación (breve) (opcional)', { exact: true }).fill(p.motivation);
  await main.getByRole('checkbox', { name: /Acepto el tratamiento de mis datos/ }).check();
  await follow(page, main.getByRole('button', { name: 'Enviar postulación' }), 'apply-done');
  assertEqual(await heading(page), 'Postulación recibida', `heading after ${p.email} applied`);
  await page.close();
}

// An accepted person signs in with the emailed link and registers.
async function registerAs(context, p) {
  const page = await context.newPage();
  const newer = Number(sql('SELECT coalesce(max(id), 0) FROM outbox'));
  await goto(page, '/login', 'login');
  await page.getByLabel('Correo electrónico', { exact: true }).fill(p.email);
  await follow(page, page.locator('main').getByRole('button', { name: 'Entrar' }), 'login-sent');
  const id = await until(`a sign-in link for ${p.email}`, () => sql(
    `SELECT id FROM outbox WHERE kind = 'signin.link' AND to_addr = ${q(p.email)} AND id > ${newer}` +
    ' ORDER BY id DESC LIMIT 1'));
  const m = (await deliveredMail(id)).match(/https?:\/\/[^\s"<>]+\/login\/[A-Za-z0-9_-]+/);
  assert(m, `no sign-in link mailed to ${p.email}`);
  await page.goto(new URL(new URL(m[0]).pathname, BASE).href, { waitUntil: 'load' });
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/me'),
    page.locator('main').getByRole('button', { name: 'Entrar' }).click(),
  ]);
  await Promise.all([
    page.waitForURL('**/me/applications/*/register'),
    page.getByRole('link', { name: 'Completar la inscripción' }).click(),
  ]);
  await page.getByLabel('Ciudad desde la que se conectará', { exact: true }).fill(p.city);
  await page.getByLabel(/^Zona horaria/).selectOption({ label: p.place });
  await page.getByRole('checkbox', { name: 'Acepto que las sesiones se graben.' }).check();
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/me'),
    page.getByRole('button', { name: 'Confirmar inscripción' }).click(),
  ]);
  await page.close();
}

const statusOf = (email) => sql('SELECT n.status FROM enrolment n JOIN application a ON a.id = n.application_id' +
  ` JOIN course c ON c.id = n.course_id WHERE a.email = ${q(email)} AND c.slug = 'cyberdiplomacy'`);

// Ticks the rows shown, picks the decision, previews and confirms it.
async function decideShown(page, decision, reached, name) {
  const rows = page.locator('main tbody tr[id^="row-"]');
  assertEqual(await rows.count(), reached, 'rows shown before deciding');
  await page.getByRole('checkbox', { name: 'Seleccionar todas las filas' }).check();
  await page.getByRole('radio', { name: decision, exact: true }).check();
  await follow(page, page.getByRole('button', { name: 'Aplicar', exact: true }), `decide-preview-${name}`);
  assertEqual(await heading(page), 'Confirmar las decisiones', 'heading of the decision preview');
  assertEqual((await page.locator('.js-count').innerText()).trim(), String(reached), 'people reached');
  await screenshot(page, `decide-preview-${name}`);
  await follow(page, page.getByRole('button', { name: 'Confirmar y enviar los mensajes' }), `decided-${name}`);
}

async function search(page, fields) {
  await goto(page, `${EV}/applications`, 'applications');
  if (fields.q !== undefined) await page.getByLabel('Buscar', { exact: true }).fill(fields.q);
  if (fields.country) await page.getByLabel('País', { exact: true }).selectOption({ label: fields.country });
  await follow(page, page.getByRole('button', { name: 'Filtrar', exact: true }), 'applications-filtered');
}

// ------------------------------------------------------------- Zoom reports

// Day 1 in the current sentence-case export with the meeting block, as in
// real-zoom/SlomaIdo-Dipush-participants_88515606254.csv (BOM, CRLF, quoted
// dates in the block only); Jorge joins with his personal address and the
// interpreter without one.
const DAY1 = '\ufeff' + [
  'Topic,ID,Host,Duration (minutes),Start time,End time,Participants',
  '"Ciberdiplomacia, día 1",81234567890,Secretaría SELA (capacitacion@sela.example),255,"03/21/2022 08:50:00 AM","03/21/2022 01:05:00 PM",3',
  '',
  'Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,Recording disclaimer response,In waiting room',
  `María Pérez,${PEREZ.email},03/21/2022 08:55:10 AM,03/21/2022 01:02:00 PM,247,No,OK,No`,
  `Jorge (Jorge Lima),${LIMA_ZOOM},03/21/2022 09:05:00 AM,03/21/2022 12:58:00 PM,233,Yes,OK,No`,
  'Intérprete EN,,03/21/2022 08:50:00 AM,03/21/2022 01:05:00 PM,255,Yes,OK,No',
  '',
].join('\r\n');
// Day 2 in the older Title Case export without a block, as in
// real-zoom/aravind33b-Attendance-Tracker-zoom.csv (BOM, CRLF, empty
// consent); María drops out for a quarter of an hour.
const DAY2 = '\ufeff' + [
  'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room',
  `María Pérez,${PEREZ.email},03/22/2022 08:58:00 AM,03/22/2022 10:30:00 AM,92,No,,No`,
  `Jorge (Jorge Lima),${LIMA_ZOOM},03/22/2022 09:00:00 AM,03/22/2022 01:00:00 PM,240,Yes,,No`,
  `María Pérez,${PEREZ.email},03/22/2022 10:45:00 AM,03/22/2022 01:00:00 PM,135,No,,No`,
  'Intérprete EN,,03/22/2022 08:50:00 AM,03/22/2022 01:05:00 PM,255,Yes,,No',
  '',
].join('\r\n');

async function importDay(page, date, file, report, rows, name) {
  await goto(page, `${EV}/attendance?course=cyberdiplomacy`, `attendance-${name}`);
  await page.locator('#date').selectOption(date);
  await page.locator('#time_zone').fill('America/Caracas');
  await page.locator('#report').setInputFiles({ name: file, mimeType: 'text/csv', buffer: Buffer.from(report, 'utf8') });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/attendance/import') && r.request().method() === 'POST'),
    page.getByRole('button', { name: /Revisar el informe/ }).click(),
  ]);
  await keep(res, `attendance-preview-${name}`);
  await page.getByRole('heading', { name: 'Revise el informe antes de importarlo' }).waitFor({ state: 'visible', timeout: 20_000 });
  const fact = async (label) => (await page.locator('dl.import-summary dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd[1]').innerText()).trim();
  assertEqual(await fact('Archivo'), file, 'file in the preview');
  assertEqual(await fact('Filas'), String(rows), 'rows in the preview');
  await screenshot(page, `attendance-preview-${name}`);
  await Promise.all([
    page.waitForURL((u) => u.pathname.endsWith('/attendance') && u.searchParams.get('done') === '1'),
    page.getByRole('button', { name: 'Confirmar la importación' }).click(),
  ]);
  await screenshot(page, `attendance-imported-${name}`);
}

// The cells of email's row in the attendance grid: one per day, the total, the rule.
async function gridMinutes(page, email) {
  const row = page.locator('table.attendance tbody tr').filter({ hasText: email });
  assertEqual(await row.count(), 1, `grid rows of ${email}`);
  return (await row.locator('td').allInnerTexts()).map((t) => t.trim());
}

// ------------------------------------------------------------------- crawl

// Every console page an administrator reaches by the console's links: one
// page per address shape (numbers collapsed), exports left out.
async function consolePages(page) {
  const shape = (u) => u.replace(/\d+/g, 'N');
  const seen = new Set(['/admin']);
  const shapes = new Set([shape('/admin')]);
  const todo = ['/admin'];
  const pages = [];
  while (todo.length && pages.length < 120) {
    const url = todo.shift();
    const res = await page.request.get(BASE + url);
    if (!(res.headers()['content-type'] || '').startsWith('text/html')) continue;
    pages.push([url, res.status()]);
    for (const m of (await res.text()).matchAll(/href="(\/admin[^"#]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (/\.(csv|xlsx|pdf)(\?|$)/.test(href) || /[?&]lang=/.test(href) || seen.has(href)) continue;
      seen.add(href);
      if (shapes.has(shape(href))) continue;
      shapes.add(shape(href));
      todo.push(href);
    }
  }
  return pages;
}

function nuErrors(files) {
  const out = execFileSync('java', ['-jar', JAR, '--format', 'json', '--stdout', '--exit-zero-always', ...files],
    { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out).messages.filter((m) => m.type === 'error')
    .map((m) => `${path.basename(decodeURIComponent(m.url || ''))}:${m.lastLine}: ${m.message}`);
}

// ------------------------------------------------------------------ journey

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
let coord; // the coordinator's page, kept through the journey
let admin;

step('the administrator sets the public address in the console; three people apply', async () => {
  assert(sql("SELECT role FROM account WHERE email = " + q(COORD.email)) === 'coordinator', 'the coordinator\'s role');
  admin = await signIn(await newContext(), ADMIN);
  await goto(admin, '/admin/settings?lang=en', 'settings');
  // Links in mail and on certificates then name it, not this machine; the
  // tests open the mailed links' paths on the server they talk to.
  await admin.getByLabel("The site's public address").fill('https://aula.sela.example');
  await Promise.all([
    admin.waitForURL('**/admin/settings?done=address'),
    admin.getByRole('button', { name: 'Save the address' }).click(),
  ]);
  const applicants = await newContext();
  for (const p of [PEREZ, LIMA, QUISPE]) await applyAs(applicants, p);
  await applicants.close();
  assertEqual(sql("SELECT count(*) FROM enrolment WHERE status = 'submitted'"), '3', 'applications waiting');
});

step('the coordinator\'s home says that 3 applications await a decision', async () => {
  coord = await signIn(await newContext(), COORD);
  const steps = await nextSteps(coord, 'start');
  assert(hasStep(steps, `3 solicitudes a ${COURSE} esperan una decisión`), `next steps:\n${steps.join('\n')}`);
  assert(hasStep(steps, `${COURSE}: no se ha importado la asistencia del lunes, 21 de marzo de 2022`),
    `next steps:\n${steps.join('\n')}`);
  assert(!steps.some((s) => s.includes('invitación')), 'nobody to invite yet');
});

step('applications: "perez" finds Pérez, her detail in words, accepted after a preview', async () => {
  await search(coord, { q: 'perez' });
  const rows = coord.locator('main tbody tr[id^="row-"]');
  assertEqual(await rows.count(), 1, 'rows found by "perez"');
  assertIncludes(await rows.first().innerText(), 'Pérez Gómez', 'the accented name');
  await screenshot(coord, 'applications-search');
  // The detail page, then back to the same search.
  await follow(coord, rows.first().getByRole('link').first(), 'application-detail');
  const detail = await text(coord);
  assertIncludes(detail, 'Español', 'the applicant\'s language in words');
  assertIncludes(detail, 'Venezuela', 'the country by name');
  assert(!/\bes\b/.test(detail.replace(/\S+@\S+/g, '')), 'a raw language code on the detail page');
  await screenshot(coord, 'application-detail');
  await search(coord, { q: 'perez' });
  await decideShown(coord, 'Aceptar', 1, 'perez');
  const url = new URL(coord.url());
  assertEqual(url.searchParams.get('q'), 'perez', 'the search kept after deciding');
  assertEqual(statusOf(PEREZ.email), 'accepted', 'Pérez\'s status');
});

step('applications: "goncalves" finds Gonçalves (accepted), a country filter finds Quispe (not accepted)', async () => {
  await search(coord, { q: 'goncalves' });
  await decideShown(coord, 'Aceptar', 1, 'lima');
  assertEqual(statusOf(LIMA.email), 'accepted', 'Lima\'s status');
  await search(coord, { q: '', country: 'Perú' });
  await decideShown(coord, 'No aceptar', 1, 'quispe');
  assertEqual(statusOf(QUISPE.email), 'rejected', 'Quispe\'s status');
  await screenshot(coord, 'applications-decided');
  const steps = await nextSteps(coord, 'decided');
  assert(!steps.some((s) => s.includes('esperan una decisión') || s.includes('espera una decisión')),
    `a decision step is left:\n${steps.join('\n')}`);
});

step('the two accepted people register; the home asks to invite them', async () => {
  const people = await newContext();
  for (const p of [PEREZ, LIMA]) await registerAs(people, p);
  await people.close();
  assertEqual(statusOf(LIMA.email), 'registered', 'Lima registered');
  const steps = await nextSteps(coord, 'registered');
  assert(hasStep(steps, `2 participantes inscritos en ${COURSE} aún no recibieron la invitación`),
    `next steps:\n${steps.join('\n')}`);
});

step('meetings: every day of both courses saved with one button', async () => {
  await goto(coord, `${EV}/meetings`, 'meetings');
  const days = coord.locator('form.meetings fieldset.meeting');
  const n = await days.count();
  assertEqual(n, 4, 'days in the meetings form');
  for (let i = 0; i < n; i++) {
    const d = days.nth(i);
    await d.locator('select[name=platform]').selectOption('zoom');
    await d.locator('input[name=join_url]').fill(`https://us02web.zoom.us/j/8123456789${i}`);
    await d.locator('input[name=meeting_id]').fill(`812 3456 789${i}`);
    await d.locator('input[name=passcode]').fill(`sela${i}`);
  }
  await screenshot(coord, 'meetings-filled');
  await follow(coord, coord.getByRole('button', { name: 'Guardar las reuniones de todos los días' }), 'meetings-saved');
  assertIncludes(await text(coord), 'Cambios guardados', 'notice after saving');
  assertEqual(sql('SELECT count(*) FROM meeting WHERE join_url LIKE \'https://us02web.zoom.us/j/8123456789_\''),
    '4', 'meetings stored');
  await screenshot(coord, 'meetings-saved');
});

step('invitations: from the next step, a preview in both languages, then sent; the step goes', async () => {
  await goto(coord, '/admin', 'home');
  await follow(coord, coord.locator('ul.next-steps a', { hasText: 'aún no recibieron la invitación' }), 'invitations-preview');
  assertEqual(await heading(coord), 'Enviar invitaciones', 'preview heading');
  assertEqual((await coord.locator('.js-count').innerText()).trim(), '2', 'people reached');
  const t = await text(coord);
  assertIncludes(t, 'Mensaje en español', 'Spanish preview');
  assertIncludes(t, 'Mensaje en inglés', 'English preview');
  assertIncludes(t, '/j/••••••••', 'the join link is masked');
  const current = await coord.locator('.console-nav a[aria-current="page"]').getAttribute('href');
  assertEqual(current, `${EV}/applications`, 'the section marked while previewing invitations');
  await screenshot(coord, 'invitations-preview');
  await follow(coord, coord.getByRole('button', { name: 'Confirmar y enviar las invitaciones' }), 'invitations-batch');
  assertEqual(await heading(coord), 'Envío de invitaciones', 'progress heading');
  assertEqual(sql("SELECT count(*) FROM outbox WHERE kind = 'invitation'"), '2', 'invitations queued');
  await screenshot(coord, 'invitations-sent');
  const steps = await nextSteps(coord, 'invited');
  assert(!steps.some((s) => s.includes('invitación')), `an invitation step is left:\n${steps.join('\n')}`);
});

step('attendance, 21 March: imported after a preview; Jorge\'s row assigned, the interpreter dismissed', async () => {
  await importDay(coord, '2022-03-21', 'participants_81234567890.csv', DAY1, 3, 'day1');
  let cells = await gridMinutes(coord, PEREZ.email);
  assertIncludes(cells[0], '240 min', 'Pérez on 21 March');
  cells = await gridMinutes(coord, LIMA.email);
  assertIncludes(cells[0], '0 min', 'Lima before the assignment');
  // The two rows nobody matched wait, and the lists start empty.
  const jorge = coord.locator('ul.unmatched li').filter({ hasText: LIMA_ZOOM });
  const interpreter = coord.locator('ul.unmatched li').filter({ hasText: 'Intérprete EN' });
  assertEqual(await jorge.count(), 1, 'Jorge\'s row waits');
  assertEqual(await jorge.locator('select').inputValue(), '', 'the list starts empty');
  const application = sql(`SELECT id FROM application WHERE email = ${q(LIMA.email)}`);
  await jorge.locator('select').selectOption(application);
  await follow(coord, jorge.getByRole('button', { name: 'Confirmar' }), 'attendance-assigned');
  cells = await gridMinutes(coord, LIMA.email);
  assertIncludes(cells[0], '233 min', 'Lima\'s minutes once assigned');
  await interpreter.locator('select').selectOption({ label: 'No es participante (invitado, intérprete, personal)' });
  await follow(coord, interpreter.getByRole('button', { name: 'Confirmar' }), 'attendance-dismissed');
  assertEqual(await coord.locator('ul.unmatched li').filter({ hasText: LIMA_ZOOM }).count(), 0, 'Jorge\'s row is gone');
  assertIncludes(await text(coord), 'Intérprete EN', 'the interpreter listed as not a participant');
  await screenshot(coord, 'attendance-day1');
  const steps = await nextSteps(coord, 'day1');
  assert(!hasStep(steps, `${COURSE}: no se ha importado la asistencia del lunes, 21 de marzo de 2022`),
    `the first day is still due:\n${steps.join('\n')}`);
  assert(hasStep(steps, `${COURSE}: no se ha importado la asistencia del martes, 22 de marzo de 2022`),
    `next steps:\n${steps.join('\n')}`);
});

step('attendance, 22 March: the assignment and the dismissal hold; the home asks for certificates', async () => {
  await importDay(coord, '2022-03-22', 'zoom-22-marzo.csv', DAY2, 4, 'day2');
  let cells = await gridMinutes(coord, PEREZ.email);
  assertIncludes(cells[1], '225 min', 'Pérez on 22 March (a quarter of an hour away)');
  cells = await gridMinutes(coord, LIMA.email);
  assertIncludes(cells[1], '240 min', 'Lima on 22 March, by the remembered assignment');
  assertEqual(await coord.locator('ul.unmatched li select').count(), 0, 'nothing waits for a decision');
  await screenshot(coord, 'attendance-day2');
  const steps = await nextSteps(coord, 'day2');
  assert(!steps.some((s) => s.startsWith(`${COURSE}: no se ha importado`)), `a day is still due:\n${steps.join('\n')}`);
  assert(hasStep(steps, `2 participantes de ${COURSE}: la asistencia está completa, emita los certificados`),
    `next steps:\n${steps.join('\n')}`);
});

// Real exports kept beside the repository (../shared/real-zoom: byte copies
// of public files, not ours to commit): a usage report is not a
// participants report, and a real participants report of another day is
// not this day's; each is refused with a reason, and nothing is stored.
const REAL_ZOOM = process.env.AULA_REAL_ZOOM || path.resolve(ROOT, '../shared/real-zoom');
step('attendance: real Zoom files that are not this day\'s participants report are refused with a reason', async () => {
  const files = ['SlomaIdo-Dipush-usermeeting_2024_09_01_2024_09_30.csv', 'aravind33b-Attendance-Tracker-zoom.csv',
    'SlomaIdo-Dipush-participants_88515606254.csv'];
  if (!files.every((f) => existsSync(path.join(REAL_ZOOM, f)))) {
    console.log(`  note: ${REAL_ZOOM} is not there; the real files were skipped`);
    return;
  }
  const imports = () => sql('SELECT count(*) || \'/\' || coalesce(sum(rows), 0) FROM attendance_import');
  const before = imports();
  for (const f of files) {
    await goto(coord, `${EV}/attendance?course=cyberdiplomacy`, 'attendance');
    await coord.locator('#date').selectOption('2022-03-21');
    await coord.locator('#report').setInputFiles(path.join(REAL_ZOOM, f));
    const [res] = await Promise.all([
      coord.waitForResponse((r) => r.url().includes('/attendance/import') && r.request().method() === 'POST'),
      coord.getByRole('button', { name: /Revisar el informe/ }).click(),
    ]);
    await keep(res, `attendance-refused-${f.slice(0, 20)}`);
    assert(res.status() >= 400, `${f}: HTTP ${res.status()}, not a refusal`);
    const alert = coord.locator('main [role="alert"]').first();
    await alert.waitFor({ state: 'visible', timeout: 20_000 });
    const why = (await alert.innerText()).trim();
    assert(why.length > 20, `${f}: no reason given (${JSON.stringify(why)})`);
    console.log(`  ${f}: ${why.split('\n')[0].slice(0, 160)}`);
    await screenshot(coord, `attendance-refused-${f.slice(0, 20)}`);
  }
  assertEqual(imports(), before, 'imports after the refusals');
});

step('certificates: from the next step, a preview, then issued; nothing is left to do for the course', async () => {
  await goto(coord, '/admin', 'home');
  await follow(coord, coord.locator('ul.next-steps a', { hasText: 'emita los certificados' }), 'certificates');
  await follow(coord, coord.getByRole('link', { name: 'Emitir los certificados de todas las personas que cumplen' }),
    'certificates-preview');
  assertEqual(await heading(coord), 'Emitir certificados', 'preview heading');
  assertEqual((await coord.locator('.js-count').innerText()).trim(), '2', 'people reached');
  assertIncludes(await text(coord), 'Mensaje en inglés', 'English preview');
  await screenshot(coord, 'certificates-preview');
  await follow(coord, coord.getByRole('button', { name: 'Confirmar y emitir los certificados' }), 'certificates-batch');
  assertEqual(await heading(coord), 'Envío de certificados', 'progress heading');
  assertEqual(sql("SELECT count(*) FROM certificate WHERE status = 'valid'"), '2', 'certificates issued');
  await goto(coord, `${EV}/certificates?course=cyberdiplomacy`, 'certificates-issued');
  await screenshot(coord, 'certificates-issued');
  const steps = await nextSteps(coord, 'end');
  assert(!steps.some((s) => s.includes(COURSE)), `steps left for the course:\n${steps.join('\n')}`);
  assert(coord.problems.length === 0, coord.problems.join('\n'));
});

// Values as stored, which a coordinator should never read on a Spanish page
// (English words are fine in English): statuses, roles, slugs, "kind:12"
// subjects, the English sentences operations write to the audit log, raw
// instants and sizes.
const RAW = /\b(published|draft|queued|sending|sent|failed|valid|revoked|superseded|submitted|waitlisted|rejected|withdrawn|admin|coordinator|trainer|cyberdiplomacy|techplomacy|[a-z_]+\.[a-z_]+|[a-z_]+:\d+)\b|\d+ rows from|is not a participant|is application \d|\d+ issued|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d+\.\d MB/;

step('every console page: no serious or critical axe violation, no raw value (Spanish), no sideways scrolling on a phone (English)', async () => {
  const pages = await consolePages(admin);
  assert(pages.length >= 30, `only ${pages.length} console pages found`);
  const failures = [];
  let n = 0;
  for (const lang of ['es', 'en']) {
    for (const [url, status] of pages) {
      const full = `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
      const res = await goto(admin, full, `sweep-${lang}-${url.replace(/[^a-z0-9]+/gi, '-').slice(1, 60)}`, status);
      void res;
      if (lang === 'en') {
        // At phone width, nothing scrolls sideways.
        await admin.setViewportSize({ width: 390, height: 844 });
        const width = await admin.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) failures.push(`  ${full} is ${width}px wide on a 390px phone`);
        await admin.setViewportSize({ width: 1280, height: 900 });
      }
      if (lang === 'es') {
        const bad = await axeSerious(admin);
        if (bad.length) failures.push(`  ${full}\n    ${bad.join('\n    ')}`);
        // People's addresses, links, file names and messages as sent are theirs.
        const shown = (await admin.locator('main').innerText())
          .replace(/\S+@\S+|https?:\/\/\S+|\S+\.(csv|pdf|json)\b/g, '');
        const mailText = await admin.locator('main pre, main details summary, main textarea').allInnerTexts();
        let visible = shown;
        for (const t of mailText) visible = visible.split(t).join('');
        const raw = visible.match(RAW);
        if (raw) failures.push(`  ${full} shows the raw value ${JSON.stringify(raw[0])}`);
      }
      n++;
    }
  }
  console.log(`  ${n} console pages checked (${pages.length} addresses, both languages)`);
  assert(failures.length === 0, `console pages:\n${failures.join('\n')}`);
});

step('the Nu HTML checker finds no error on any console page or page of the journey', async () => {
  assert(existsSync(JAR), `the Nu checker is not installed (${JAR})`);
  const errors = nuErrors(served);
  console.log(`  ${served.length} pages as served checked by the Nu checker`);
  assert(errors.length === 0, `Nu checker:\n  ${errors.slice(0, 40).join('\n  ')}`);
});

// ------------------------------------------------------------------- runner

if (!BIN) {
  console.log('FAIL - AULA_BIN must be set (run.sh sets it)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}
let dir = null;
try {
  mkdirSync(HTML_OUT, { recursive: true });
  dir = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 30_000,
  });
  let broken = null;
  const isCheck = (s) => s.name.startsWith('every console page') || s.name.startsWith('the Nu');
  for (const s of steps) {
    if (broken && !isCheck(s)) {
      report(s.name, new Error(`not run: "${broken}" failed`));
      continue;
    }
    try {
      await s.fn();
      report(s.name);
    } catch (e) {
      report(s.name, e);
      // The journey's stages build on each other; the page checks do not.
      if (!isCheck(s)) broken = s.name;
      if (coord) await screenshot(coord, 'failure').catch(() => {});
    }
  }
} catch (e) {
  report('setting up the journey', e);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
