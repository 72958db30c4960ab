/**
 * Issue 7, the Temporal Web UI shows a run's payloads decoded through Sojourn's codec endpoint:
 * a Temporal dev server of this test's own is started with `--ui-codec-endpoint` pointing at this
 * test's API (`/codec/t/<codec token>`: the UI cannot send an API key), headless Chromium opens the
 * run's page, and the decoded input must be on screen. Needs Debian's chromium (.ci/run installs it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startApiServer, type RunningApi } from '../../api/server';
import { loadConfig } from '../../config/env';
import { findOrInstallTemporalCli } from '../../scripts/temporal-cli';
import { getFreePort, startTemporalDevServer } from '../../scripts/stack';
import { codecTokenFor } from '../../security/codec-keys';
import { startWorker, type RunningWorker } from '../../worker/run';
import { startReceiver, type Receiver } from '../helpers/receiver';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `temporal-ui.test: ${CHROMIUM} not found, skipping (apt-get install -y chromium; .ci/run does)`,
  );
const maybe = hasChromium ? test : test.skip;

const FIRST_NAME = 'Grace-Decoded-In-UI';
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sojourn-ui-'));
let temporal: { address: string; uiUrl: string; stop(): Promise<void> } | undefined;
let worker: RunningWorker | undefined;
let api: RunningApi | undefined;
let receiver: Receiver | undefined;
let browser: BrowserContext | undefined;

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await worker?.stop();
  await temporal?.stop();
  await receiver?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

maybe(
  'the Temporal UI shows a run decoded through the codec endpoint (screenshot)',
  async () => {
    const base = loadConfig(process.env);
    const apiPort = await getFreePort();
    const uiPort = await getFreePort();
    const codecToken = codecTokenFor(base);
    temporal = await startTemporalDevServer({
      cliPath: await findOrInstallTemporalCli(path.resolve(__dirname, '..', '..', '.data')),
      port: await getFreePort(),
      uiPort,
      namespace: 'default',
      uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec/t/${codecToken}`,
      logFile: path.join(workDir, 'temporal.log'),
    });
    const config = {
      ...base,
      port: apiPort,
      taskQueue: `ui-${randomBytes(4).toString('hex')}`,
      temporalAddress: temporal.address,
      databaseUrl: base.databaseUrl as string,
      apiKey: base.apiKey as string,
      writeKey: base.writeKey as string,
      codecCorsOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
    };
    receiver = await startReceiver();
    worker = await startWorker(config);
    api = await startApiServer(config);
    const call = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${api?.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as Record<string, never>;
    };
    const destination = await call('POST', '/v1/destinations', {
      name: 'UI hook',
      destination: 'webhook',
      subscriptions: [
        {
          subscribe: 'type = "track"',
          partnerAction: 'send',
          mapping: { url: `${receiver.url}/ui`, method: 'POST', data: { '@path': '$.' } },
        },
      ],
    });
    const journey = await call('POST', '/v1/journeys', {
      name: 'UI Journey',
      entry: { type: 'api' },
      start: 'send',
      steps: [
        {
          id: 'send',
          type: 'send',
          name: 'Send',
          destinations: [
            {
              destinationId: destination.id,
              call: 'track',
              enrichment: { traits: { first_name: 'firstName' } },
            },
          ],
          next: 'end',
        },
        { id: 'end', type: 'exit' },
      ],
    });
    await call('POST', `/v1/journeys/${journey.id}/publish`);
    const userId = `u_ui_${Date.now()}`;
    const entered = (await call('POST', `/v1/journeys/${journey.id}/entries`, {
      users: [{ userId, traits: { firstName: FIRST_NAME } }],
    })) as unknown as { entries: Array<{ workflowId: string }> };
    const workflowId = entered.entries[0]?.workflowId as string;
    await receiver.waitFor((all) => all.length > 0);

    browser = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 1800 },
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const codecCalls: number[] = [];
    page.on('response', (res) => {
      if (res.url().includes(`/codec/t/${codecToken}/decode`)) codecCalls.push(res.status());
    });
    await page.goto(`${temporal.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`, {
      waitUntil: 'domcontentloaded',
    });
    // The input card shows the workflow input decoded ({"journeyId":…,"userId":…,"entryNo":1}); encoded it would be base64.
    await page.getByText('entryNo').first().waitFor({ timeout: 45_000 });
    const screenshot = path.join(workDir, 'temporal-ui.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    // Kept where a person can look at it after the run.
    const keep = path.resolve(__dirname, '..', '..', '.data', 'temporal-ui-codec.png');
    fs.mkdirSync(path.dirname(keep), { recursive: true });
    fs.copyFileSync(screenshot, keep);

    const text = await page.locator('body').innerText();
    expect(text).toContain('entryNo');
    expect(text).toContain(userId);
    expect(text).not.toContain('binary/encrypted');
    expect(codecCalls.length).toBeGreaterThan(0);
    expect(codecCalls.every((status) => status === 200)).toBe(true);
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
  },
  180_000,
);
