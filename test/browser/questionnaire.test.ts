/**
 * The classification questionnaire in a real browser (Debian's chromium through
 * playwright-core) against the real stack: a consultant imports discovery exports on the page,
 * the customer's approver tags the draft in French (by application, one workload, then by
 * filter) while the preview follows, and the consultant starts the run, which links back to
 * the draft. `UPDATE_SCREENSHOTS=1` also saves the screenshots the README shows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { devSignInKey } from '../../api/dev-mode';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../../domain/token-claims';
import { buildDashboard } from '../../scripts/lib/dashboard-build';
import { hospitalEstate, writeEstateExports, type EstateExportFiles } from '../../scripts/lib/discovery-exports';
import { startStack, type TestStack } from '../support/stack';
import { launchChromium, type TestBrowser } from './chromium';

const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(__dirname, '..', '..', 'docs', 'screenshots') : undefined;

let stack: TestStack;
let browser: TestBrowser;
let dashboardDir: string;
let exportsDir: string;
let files: EstateExportFiles;

beforeAll(async () => {
  dashboardDir = mkdtempSync(path.join(tmpdir(), 'passerelle-dashboard-'));
  exportsDir = mkdtempSync(path.join(tmpdir(), 'passerelle-exports-'));
  await buildDashboard({ outDir: dashboardDir, minify: true });
  files = await writeEstateExports(exportsDir, hospitalEstate(), { prefix: 'chu' });
  stack = await startStack({ dashboardDir });
  browser = await launchChromium();
  if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  for (const dir of [dashboardDir, exportsDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Opens the dashboard in a new tab and signs in as a demo identity. */
async function signIn(identityId: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${stack.apiUrl}/?${DEV_SIGN_IN_KEY_PARAMETER}=${devSignInKey(stack.devSecret)}`);
  await page.locator(`#identity-${identityId}`).click();
  await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  return page;
}

/** Saves the tagging form and waits for the page to say how many workloads changed. */
async function saveTags(page: Page, changed: number): Promise<void> {
  await page.locator('#tag-submit').click();
  await page.locator('#flash', { hasText: `${changed} charge(s) modifiée(s).` }).waitFor();
}

describe('the classification questionnaire', () => {
  it('goes from an imported export to a run: tagged by the customer in French, previewed, started by the consultant', async () => {
    // The consultant imports the three exports on the page.
    const consultant = await signIn('consultant');
    await consultant.locator('#nav-drafts').click();
    await consultant.getByRole('heading', { level: 1, name: 'Plans à qualifier' }).waitFor();
    await consultant.locator('#import-customer-id').fill('ght-rhone-nord');
    await consultant.locator('#import-customer-name').fill('GHT Rhône Nord');
    await consultant.locator('#import-customer-type').selectOption('HOSPITAL');
    // A malformed export is refused as a whole, the problem located.
    const duplicates = path.join(exportsDir, 'duplicates.csv');
    writeFileSync(duplicates, '*Server Name,*Cores,*Memory (In MB),*OS name\nSRV-A,2,4096,Linux\nSRV-A,2,4096,Linux\n');
    await consultant.locator('#import-files').setInputFiles([duplicates]);
    await consultant.locator('#import-submit').click();
    await consultant.locator('#import-error', { hasText: 'Import refusé, rien n’a été importé' }).waitFor();
    expect(await consultant.locator('#import-error').innerText()).toContain('duplicates.csv, line 3, column "*Server Name" : duplicate server name "SRV-A"');
    await consultant.locator('#import-files').setInputFiles([files.azureMigrateCsv, files.rvtoolsXlsx, files.dependenciesCsv]);
    await consultant.locator('#import-submit').click();
    await consultant.getByRole('heading', { level: 1, name: 'Revue du plan — GHT Rhône Nord' }).waitFor();
    const draftId = decodeURIComponent(/#\/drafts\/([^/?]+)$/.exec(consultant.url())?.[1] ?? '');
    expect(draftId).toMatch(/^draft-ght-rhone-nord-[0-9a-f]{8}$/);
    // Nothing may start while anything is untagged.
    expect(await consultant.locator('#start-run').isDisabled()).toBe(true);
    expect(await consultant.locator('#review-untagged').innerText()).toContain('srv-ad01');
    expect(await consultant.locator('#draft-workload-srv-old-fs01').innerText()).toContain('Exclue');

    // The customer's approver answers the questionnaire, in French by default.
    const customer = await signIn('ght-rhone-nord-approver');
    await customer.locator('#nav-drafts').click();
    await customer.locator(`#draft-link-${draftId}`).click();
    await customer.getByRole('heading', { level: 1, name: 'Questionnaire de classification — GHT Rhône Nord' }).waitFor();
    expect(await customer.locator('#review').count()).toBe(0);
    expect(await customer.locator('label[for="category-HEALTH"]').innerText()).toContain('données de santé');
    expect(await customer.locator('#category-HEALTH-effect').innerText()).toContain('Déclenche R5, R6 : hébergement SecNumCloud + hébergeur certifié HDS');
    expect(await customer.locator('#category-HEALTH-effect a').getAttribute('href')).toBe('/dashboard/rules.md');
    expect(await customer.locator('#category-SIIV').isDisabled()).toBe(true);
    expect(await customer.locator('#preview-state').innerText()).toBe('9 charge(s) restent à qualifier');

    // In bulk: the whole patient record application.
    await customer.getByRole('button', { name: 'Qualifier cette application : Dossier patient' }).click();
    await customer.locator('#workloads-caption', { hasText: 'sur 3' }).waitFor();
    await customer.locator('#category-HEALTH').check();
    await customer.locator('#category-PERSONAL').check();
    await customer.locator('#tag-comment').fill('Validé en comité');
    await saveTags(customer, 3);
    await customer.locator('#preview-state', { hasText: '6 charge(s) restent à qualifier' }).waitFor();
    await customer.locator('#preview-approval-dpia').waitFor();
    expect(await customer.locator('#preview-approval-dpia').innerText()).toContain('Données de santé dans srv-dpi-app01, srv-dpi-sql01 et srv-dpi-web01');
    expect(await customer.locator('#preview-workload-srv-dpi-sql01').innerText()).toContain('R5');

    // One workload: the directory, ticked alone.
    await customer.locator('#filter-application').selectOption('');
    await customer.locator('#filter-untagged').check();
    await customer.locator('#filter-submit').click();
    // The excluded server has no category either: it stays excluded whatever it is tagged.
    await customer.locator('#workloads-caption', { hasText: 'sur 7' }).waitFor();
    await customer.locator('#pick-srv-ad01').check();
    await customer.locator('#tag-target-checked-label', { hasText: '(1)' }).waitFor();
    await customer.locator('#category-IDENTITY').check();
    await customer.locator('#tag-criticality').selectOption('HIGH');
    await saveTags(customer, 1);
    expect(await customer.locator('#tag-target-checked').isChecked()).toBe(true);
    await customer.locator('#preview-state', { hasText: '5 charge(s) restent à qualifier' }).waitFor();
    await customer.locator('#workloads-caption', { hasText: 'sur 6' }).waitFor();

    // The rest by the filter: every workload still without a category.
    await customer.locator('#tag-target-filter').check();
    await customer.locator('#category-INTERNAL').check();
    await saveTags(customer, 6);
    await customer.locator('#preview-state', { hasText: 'Toutes les charges à migrer sont qualifiées' }).waitFor();
    expect(await customer.locator('#preview-approvals').innerText()).toContain('Décision d’homologation');

    await customer.locator('#comment-text').fill('Le PACS reste en périmètre.');
    await customer.locator('#comment-submit').click();
    await customer.locator('#comment-list', { hasText: 'Le PACS reste en périmètre.' }).waitFor();
    expect(await customer.locator('#comment-text').inputValue()).toBe('');
    const trail = await customer.locator('#draft-audit-table').innerText();
    expect(trail).toContain('approbation@ght-rhone-nord');
    // What each edit changed, in French, from the message the drafting workflow recorded.
    expect(trail).toContain('Catégories : données personnelles et données de santé pour l’application Dossier patient (3 charges modifiées : srv-dpi-app01, srv-dpi-sql01 et srv-dpi-web01)');
    expect(trail).toContain('Catégories : données d’annuaire et d’identité ; criticité élevée (1 charge modifiée : srv-ad01)');
    expect(trail).toContain('Validé en comité');
    // Every entry in French, the import and the comment too.
    expect(trail).toMatch(/\d+ charges importées/);
    expect(trail).toContain('Commentaire sur le brouillon');
    expect(trail).not.toMatch(/imported|comment on/);
    expect(trail).toContain('consultant@passerelle');
    await customer.locator('#filter-untagged').uncheck();
    await customer.locator('#filter-submit').click();
    await customer.locator('#workloads-caption', { hasText: 'sur 10' }).waitFor();
    expect(await customer.locator('#draft-workload-srv-ad01').innerText()).toContain('approbation@ght-rhone-nord');
    await screenshot(customer, 'draft-questionnaire');

    // Another customer's approver does not see the draft at all.
    const stranger = await signIn('region-hauts-val-approver');
    await stranger.goto(`${stack.apiUrl}/#/drafts/${draftId}`);
    await stranger.getByRole('heading', { level: 1, name: 'Plan introuvable' }).waitFor();
    await stranger.close();

    // The consultant's review follows the customer's answers, then starts the run.
    await consultant.locator('#review-verdict', { hasText: 'Le plan est complet et valide.' }).waitFor();
    await screenshot(consultant, 'draft-review');
    await consultant.locator('#start-run').click();
    await consultant.getByRole('heading', { level: 1, name: 'GHT Rhône Nord', exact: true }).waitFor();
    expect(consultant.url()).toContain(`#/migrations/migration-${draftId}`);
    expect(await consultant.locator('#run-draft-link').getAttribute('href')).toBe(`#/drafts/${draftId}`);
    const description = await stack.client.workflow.getHandle(`migration-${draftId}`).describe();
    expect(description.memo?.draftId).toBe(draftId);

    // Back on the draft: closed, linked to its run, and the questionnaire takes no more answers.
    await consultant.locator('#run-draft-link').click();
    await consultant.locator('#draft-run-link').waitFor();
    expect(await consultant.locator('#draft-state').innerText()).toBe('Migration lancée');
    await customer.locator('#draft-run').waitFor();
    expect(await customer.locator('#tag').isHidden()).toBe(true);
    await stack.client.workflow.getHandle(`migration-${draftId}`).terminate('test done');
    await customer.close();
    await consultant.close();
  });
});
