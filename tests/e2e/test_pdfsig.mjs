// SPDX-License-Identifier: AGPL-3.0-or-later
// Browser test of /verify by upload (issue #19): a visitor uploads an issued
// certificate PDF and reads that it is genuine; a copy with one byte changed
// is "not the issued document", in English and in Spanish.  Run by run.sh
// after tests.mjs, with the same server (AULA_URL), its data directory
// (AULA_E2E_DATA) and the aula binary (AULA_BIN) to issue the certificate.
// Ends with "browser: N passed, N failed".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.AULA_URL || '').replace(/\/$/, '');
const DATA = process.env.AULA_E2E_DATA || '';
const BIN = process.env.AULA_BIN || '';
const OUT = process.env.AULA_E2E_OUT || path.resolve('test-output');

let passed = 0;
let failed = 0;
function report(name, error) {
  if (error) {
    failed++;
    console.log(`FAIL - ${name}\n  ${String(error.message || error).split('\n')[0]}`);
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

// A registered participant granted the certificate, then issued with the
// command line: the same code path as the console's button.
function issueOne() {
  const email = 'e2e.pdfsig@example.org';
  sql(`INSERT INTO account (email, role, created_at) VALUES ('${email}', 'participant', 'x')`);
  sql(`INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,
       family_names, gender, country, institution_type, institution, position, language,
       consent_at, submission_key, created_at) SELECT e.id, a.id, a.email, 'ambassador',
       'Lucía', 'Verificada', 'female', 'PE', 'foreign_ministry', 'RREE', 'Embajadora', 'es',
       'x', 'k-e2e-pdfsig', 'x' FROM edition e, account a WHERE e.slug = 'sela-2022'
       AND a.email = '${email}'`);
  sql(`INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id, c.id,
       'registered', 'x' FROM application ap, course c WHERE ap.email = '${email}'
       AND c.slug = 'techplomacy'`);
  sql(`INSERT INTO eligibility_grant (enrolment_id, reason, granted_by, granted_at)
       SELECT en.id, 'e2e', 'e2e', 'x' FROM enrolment en JOIN application a
       ON a.id = en.application_id WHERE a.email = '${email}'`);
  execFileSync(BIN, ['certificates', 'issue', '--data', DATA, '--event', 'sela-2022',
    '--course', 'techplomacy'], { encoding: 'utf8', timeout: 60_000 });
  const number = sql(`SELECT c.number FROM certificate c JOIN enrolment en ON en.id = c.enrolment_id
       JOIN application a ON a.id = en.application_id WHERE a.email = '${email}'`);
  assert(number, 'no certificate was issued');
  return path.join(DATA, 'certificates', `${number}.pdf`);
}

async function uploadAndRead(page, lang, file) {
  await page.goto(`${BASE}/verify?lang=${lang}`);
  await page.setInputFiles('#verify-file', file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/verify"][method="post"] button[type=submit]')]);
  return page.locator('#verify-file-verdict').innerText();
}

if (!BASE || !DATA || !BIN) {
  console.log('FAIL - AULA_URL, AULA_E2E_DATA and AULA_BIN must be set (run.sh sets them)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'aula-e2e-pdfsig-'));
let browser;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 30_000,
  });
  const pdf = issueOne();
  const changed = path.join(tmp, 'changed.pdf');
  const bytes = Buffer.from(readFileSync(pdf));
  const title = bytes.indexOf('/Title (Certificado');
  assert(title > 0, 'no title in the PDF');
  bytes[title + 10] = bytes[title + 10] === 0x41 ? 0x42 : 0x41;
  writeFileSync(changed, bytes);
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  for (const [name, fn] of [
    ['uploading the issued PDF to /verify says genuine', async () => {
      const en = await uploadAndRead(page, 'en', pdf);
      assert(en.includes('Genuine: this is exactly the document that was issued'), en);
      await page.screenshot({ path: path.join(OUT, 'verify-upload-genuine.png'), fullPage: true });
      const es = await uploadAndRead(page, 'es', pdf);
      assert(es.includes('Auténtico'), es);
    }],
    ['uploading a changed copy says it is not the issued document', async () => {
      const en = await uploadAndRead(page, 'en', changed);
      assert(en.includes('Not the issued document') && !en.includes('Genuine'), en);
      await page.screenshot({ path: path.join(OUT, 'verify-upload-changed.png'), fullPage: true });
      const es = await uploadAndRead(page, 'es', changed);
      assert(es.includes('No es el documento emitido'), es);
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
  report('setting up the upload test', e);
} finally {
  if (browser) await browser.close().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
