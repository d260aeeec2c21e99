import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { applyReviewed, askForReview, expectNoLiveErrors, expectOutcome, find, openAs } from './support/forms';

const PRUNER = 'imagepruners.imageregistry.operator.openshift.io';
const NS = 'openshift-image-registry';

function spec(): { schedule?: string; keepTagRevisions?: number; suspend?: boolean } {
  return JSON.parse(kubectl(['get', PRUNER, 'cluster', '-o', 'json'])).spec;
}

// The other specs start from the seeded pruner.
test.afterEach(() => {
  kubectl(['patch', PRUNER, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { schedule: '', keepTagRevisions: 3, suspend: false } })]);
});

test('schedule and kept revisions: reviewed with oc patch and a diff, applied, read back', async ({ page }) => {
  await openAs(page, 'admin', '/pruner');
  // The seeded registry is Removed: the page says the pruner leaves the storage alone.
  await expect(page.locator('.registry-link')).toContainText('--prune-registry=false');
  await expect(page.locator('.conditions [data-condition="Available"]')).toContainText('True');

  const form = find.form(page, 'pruner');
  await find.field(form, 'schedule').fill('30 2 * * *');
  await find.field(form, 'keepTagRevisions').fill('5');
  await expectNoLiveErrors(form);
  const review = await askForReview(page);

  await expect(find.command(page, 'oc-patch')).toContainText(
    `oc patch ${PRUNER}/cluster --type merge -p '{"spec":{"keepTagRevisions":5,"schedule":"30 2 * * *"}}'`);
  await expect(review.locator('pre.diff .added')).toContainText(['keepTagRevisions: 5', "schedule: 30 2 * * *"]);
  await expect(review.locator('pre.diff .removed')).toContainText(['keepTagRevisions: 3']);
  await applyReviewed(page);

  await expectOutcome(page, 'Applied');
  // The review became the outcome: the same change cannot be applied twice.
  await expect(find.review(page)).toHaveCount(0);
  expect(spec()).toMatchObject({ schedule: '30 2 * * *', keepTagRevisions: 5 });
  // The operator renders it into the CronJob, and the page follows.
  await expect.poll(() => kubectl(['get', 'cronjob', 'image-pruner', '-n', NS, '-o', 'jsonpath={.spec.schedule}']),
    { timeout: 10_000 }).toBe('30 2 * * *');
  await expect(page.locator('.cron-job .schedule')).toHaveText('30 2 * * *', { timeout: 10_000 });
  await expect(page.locator('pre.pruner-args')).toContainText('--keep-tag-revisions=5');

  // The change is recorded as an Event on the pruner, and the page lists it: when, who,
  // what, which fields (never their values).
  const newest = page.locator('section.changes tbody tr').first();
  await expect(newest).toContainText('admin', { timeout: 20_000 });
  await expect(newest).toContainText('changed');
  await expect(newest).toContainText('ImagePruner cluster');
  await expect(newest.locator('.fields code')).toHaveText(['spec.keepTagRevisions', 'spec.schedule']);
  // kubectl reads the same record where kube keeps a cluster object's events.
  const events = JSON.parse(kubectl(['get', 'events', '-n', 'default', '--field-selector',
    'involvedObject.kind=ImagePruner', '-o', 'json'])).items;
  type Event = { source?: { component?: string }; reason?: string; metadata: { annotations?: Record<string, string> } };
  const ours = events.filter((e: Event) => e.source?.component === 'registry-console'
    && e.metadata.annotations?.['registry-console/fields'] === 'spec.keepTagRevisions, spec.schedule');
  expect(ours.length).toBeGreaterThan(0);
  expect(ours[0]).toMatchObject({ reason: 'Changed', involvedObject: { kind: 'ImagePruner', name: 'cluster' } });
  expect(ours[0].metadata.annotations['registry-console/user']).toBe('admin');
});

test('an invalid cron shows a live finding and the review cannot start', async ({ page }) => {
  await openAs(page, 'admin', '/pruner');
  const form = find.form(page, 'pruner');
  await find.field(form, 'schedule').fill('0 0 * *');
  await expect(find.finding(form, 'spec.schedule')).toContainText('five');
  await expect(find.findingNear(form, 'schedule')).toContainText('five');
  await expect(find.reviewButton(page)).toBeDisabled();
  await find.field(form, 'schedule').fill('0 0 * * *');
  await expectNoLiveErrors(form);
  await expect(find.reviewButton(page)).toBeEnabled();
  expect(spec().schedule).toBe('');
});

test('a conflict on the pruner keeps the unrelated edit', async ({ page }) => {
  await openAs(page, 'admin', '/pruner');
  const form = find.form(page, 'pruner');
  await find.field(form, 'keepTagRevisions').fill('7');
  await askForReview(page);
  kubectl(['patch', PRUNER, 'cluster', '--type', 'merge', '-p', '{"spec":{"suspend":true}}']);
  // The page notices while the review is open.
  await expect(page.locator('.changed-meanwhile')).toContainText('spec.suspend');
  await applyReviewed(page);
  await expectOutcome(page, 'Nothing was changed');
  await expect(page.locator('.merge .kept')).toContainText('spec.keepTagRevisions');
  await expect(find.field(form, 'keepTagRevisions')).toHaveValue('7');
  await expect(find.field(form, 'suspend')).toBeChecked();
  await askForReview(page);
  await expect(find.command(page, 'oc-patch')).toContainText(`'{"spec":{"keepTagRevisions":7}}'`);
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');
  expect(spec()).toMatchObject({ keepTagRevisions: 7, suspend: true });
});

test('prune now offers a dry run first, names what pruning deletes, and shows each run\'s log summary', async ({ page }) => {
  await openAs(page, 'admin', '/pruner');
  await page.getByRole('button', { name: 'Prune now…' }).click();
  // The dry run from a terminal: the pruner's own arguments without --confirm.
  const dryRun = page.locator('pre.oc-dry-run');
  await expect(dryRun).toContainText(/^oc adm prune images .*--keep-tag-revisions=3/);
  await expect(dryRun).not.toContainText('--confirm');
  // What pruning for real loses, named; the seeded registry is Removed, so layers stay.
  const danger = page.locator('.prune-danger');
  await expect(danger).toContainText('deletes for good');
  await expect(danger).toContainText('3 newest revisions');
  await expect(danger).toContainText('--prune-registry=false');
  await expect(page.getByRole('button', { name: 'Prune for real' })).toHaveClass(/danger/);
  const command = page.locator('pre.oc-create-job');
  await expect(command).toContainText(/oc create job --from=cronjob\/image-pruner image-pruner-manual-\d{8}-\d{6} -n openshift-image-registry/);
  const dryJob = (await command.textContent())!.split(' ')[4];
  await page.getByRole('button', { name: 'Dry run (deletes nothing)' }).click();
  await expect(page.locator('.prune-started')).toContainText(dryJob);
  const dryRow = page.locator(`table.runs tr[data-job="${dryJob}"]`);
  await expect(dryRow).toContainText('manual, dry run');
  await expect(dryRow.locator('.state')).toHaveText('Succeeded', { timeout: 15_000 });
  // Once it ends, its log's summary shows without asking.
  await expect(page.locator(`.run-log[data-job="${dryJob}"] .log-summary`)).toContainText('Summary: would delete 0 objects');
  const args = kubectl(['get', 'job', dryJob, '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].args}']);
  expect(args).toContain('--confirm=false');
  expect(args).not.toContain('--confirm=true');

  // Then for real (a new name: names carry the second they were planned).
  await page.waitForTimeout(1_000);
  await page.getByRole('button', { name: 'Prune now…' }).click();
  const job = (await command.textContent())!.split(' ')[4];
  expect(job).not.toBe(dryJob);
  await page.getByRole('button', { name: 'Prune for real' }).click();
  await expect(page.locator('.prune-started')).toContainText(job);
  const row = page.locator(`table.runs tr[data-job="${job}"]`);
  await expect(row.locator('td').nth(1)).toHaveText('manual');
  await expect(row.locator('.state')).toHaveText('Succeeded', { timeout: 15_000 });
  expect(kubectl(['get', 'job', job, '-n', NS, '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
  await expect(page.locator(`.run-log[data-job="${job}"] .log-summary`)).toContainText('Summary: deleted 0 objects');
  // Any finished run's log, on request.
  await dryRow.getByRole('button', { name: 'Show the log' }).click();
  await expect(page.locator(`.run-log[data-job="${dryJob}"] pre.log`)).toContainText('--confirm=false');
});
