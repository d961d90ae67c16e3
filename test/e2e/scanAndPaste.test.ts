// Scanning and pasting into Send's Recipient, through the page (issue 17 item 2). B's Receive QR code
// holds a payment link a phone's camera opens; B's request link, pasted into A's Recipient, fills the
// address, amount and memo, as does a web+ttx: URI, and other text is refused in words. "Scan" says so
// when there is no camera or it is refused. Then a Chromium whose fake camera films a QR code of B's
// request link (a Y4M video made here from uqr's matrix) scans it: the form is filled and the camera is
// turned off; a camera filming a QR code of a web shop's page says it holds no address and keeps looking
// until "Stop scanning" turns it off. Chromium on Linux has no BarcodeDetector, so jsQR decodes here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPaymentUri } from '../../src/app/paymentLink.ts';
import { openNode, sendForm, showView, takeFaucetTokens } from '../support/appPage.ts';
import { launchChromium, newPeerContext } from '../support/chromium.ts';
import { startE2eDevnet, type E2eDevnet } from '../support/e2eDevnet.ts';
import { readQrCode } from '../support/readQrCode.ts';
import { writeQrVideo } from '../support/qrVideo.ts';

const MEMO = 'lunch & coffee #2? ☕ <b>not bold</b>';
const SHOP = 'https://shop.example/item/42';

let world: E2eDevnet;
let b: Page;
let a: Page;
let bAddress: string;
let requestLink: string;
let videoDir: string;

async function clearForm(page: Page): Promise<void> {
  for (const id of ['send-to', 'send-amount', 'send-memo']) await page.getByTestId(id).fill('');
}

/** A real paste: the text on the clipboard, then Ctrl+V in the Recipient field over what it held. */
async function pasteIntoRecipient(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  const field = page.getByLabel('Recipient address');
  await field.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

async function focusedTestId(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

/**
 * A user in a Chromium whose camera films a QR code of `text`; the page keeps the streams the app opens
 * (the real getUserMedia, wrapped) so the test can see whether their tracks were stopped.
 */
async function cameraUser(
  text: string,
  file: string,
): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  // Permissions not granted are refused, not asked for: a prompt nobody answers would wait forever.
  const browser = await launchChromium([
    ...writeQrVideo(text, join(videoDir, file)),
    '--deny-permission-prompts',
  ]);
  const context = await newPeerContext(browser, world.origin);
  await context.addInitScript(() => {
    const streams: MediaStream[] = [];
    Object.assign(window, { cameraStreams: streams });
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      streams.push(stream);
      return stream;
    };
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`${err.message}\n${err.stack ?? ''}`));
  await openNode(page, world.devnet.appUrl);
  await showView(page, 'Send');
  return { browser, page, errors };
}

/** The ready states of every camera track the page opened. */
async function cameraTracks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams.flatMap((stream) =>
      stream.getVideoTracks().map((track) => track.readyState),
    ),
  );
}

beforeAll(async () => {
  videoDir = await mkdtemp(join(tmpdir(), 'torrenttx-qr-video-'));
  world = await startE2eDevnet();
  [a, b] = await Promise.all([world.userPage(), world.userPage()]);
  await a.context().grantPermissions(['camera', 'microphone', 'clipboard-read', 'clipboard-write'], {
    origin: world.origin,
  });
  await openNode(a, world.devnet.appUrl);
  bAddress = await openNode(b, world.devnet.appUrl);
  // A can pay, so "Review payment" being enabled below means the filled form is a payment A can make.
  await takeFaucetTokens(a);
  await showView(b, 'Receive');
  await b.getByLabel('Tokens to request').fill('7');
  await b.getByLabel(/^Request memo/).fill(MEMO);
  requestLink = (await b.getByTestId('request-link').textContent())!.trim();
}, 120_000);

afterAll(async () => {
  await world?.close();
  if (videoDir) await rm(videoDir, { recursive: true, force: true });
});

describe('scan and paste into Recipient', () => {
  it("B's Receive QR code holds a payment link to B that opens A's send form; the address stays as text", async () => {
    const link = await readQrCode(b.getByRole('img', { name: 'QR code of a payment link to your address' }));
    expect(link).toBe(`${world.devnet.appUrl.replace(/\/?$/, '/')}#pay?to=${bAddress}`);
    expect((await b.getByTestId('receive-address').textContent())?.trim()).toBe(bAddress);
    // What a phone does with it: opens the link, and the app fills the send form.
    await a.goto(link!);
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '', memo: '' });
    await clearForm(a);
  }, 30_000);

  it('a request link pasted into Recipient fills address, amount and memo; the memo stays text', async () => {
    await showView(a, 'Send');
    await a.getByLabel('Amount').fill('2');
    await pasteIntoRecipient(a, requestLink);
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '7', memo: MEMO });
    expect(await a.getByTestId('send-filled').textContent()).toBe(
      'Address, amount and memo filled in from the payment link.',
    );
    expect(await a.getByTestId('send-to-problem').textContent()).toBe('');
    await a.getByRole('button', { name: 'Review payment' }).click();
    const review = a.getByTestId('send-review-panel');
    await review.waitFor();
    expect(await review.textContent()).toContain(MEMO);
    expect(await a.locator('[data-testid=send-review-panel] b').count()).toBe(0);
    await review.getByRole('button', { name: 'Back' }).click();
  }, 30_000);

  it('a web+ttx: URI fills the form too; a link for another app says so; other text is refused in words', async () => {
    await clearForm(a);
    await pasteIntoRecipient(a, formatPaymentUri({ to: bAddress, tokens: '3', memo: 'by uri' }));
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '3', memo: 'by uri' });

    await pasteIntoRecipient(a, `http://localhost:1/#pay?to=${bAddress}&tokens=4`);
    await expect.poll(() => sendForm(a)).toEqual({ to: bAddress, tokens: '4', memo: 'by uri' });
    expect(await a.getByTestId('send-filled').textContent()).toBe(
      'Address and amount filled in from the payment link. The link was made for the app at http://localhost:1/: check that you pay on the network the payee uses.',
    );

    await pasteIntoRecipient(a, 'see you at 8');
    await expect
      .poll(() => a.getByTestId('send-to-problem').textContent())
      .toBe('Recipient takes an address (ttx1…), a payment link or a web+ttx: link.');
    expect(await a.getByTestId('send-to').getAttribute('aria-invalid')).toBe('true');
    expect(await a.getByRole('button', { name: 'Review payment' }).isDisabled()).toBe(true);

    const typo = bAddress.slice(0, -1) + (bAddress.endsWith('q') ? 'p' : 'q');
    await pasteIntoRecipient(a, `${world.devnet.appUrl}#pay?to=${typo}&tokens=5`);
    await expect
      .poll(() => a.getByTestId('send-to-problem').textContent())
      .toContain('This payment link cannot be used: "to" is not a valid address: checksum does not match');
    expect((await sendForm(a)).tokens).toBe('4'); // a refused link fills nothing
    await clearForm(a);
  }, 30_000);

  it('Scan says so in words when there is no camera, and focus comes back to it when closed', async () => {
    // This Chromium has no camera device at all (the permission is granted).
    await a.getByRole('button', { name: 'Scan a QR code' }).click();
    await expect
      .poll(() => a.getByTestId('scanner-problem').textContent())
      .toBe('No camera was found on this device. Paste the address or link into Recipient instead.');
    expect(await focusedTestId(a)).toBe('scanner-close');
    await a.getByRole('button', { name: 'Stop scanning' }).click();
    expect(await a.getByTestId('scanner').count()).toBe(0);
    expect(await focusedTestId(a)).toBe('send-scan');
  }, 60_000);

  it('Scan reads a camera picture of a request link: the form is filled, the camera is off, Recipient is focused', async () => {
    const { browser, page, errors } = await cameraUser(requestLink, 'request.y4m');
    try {
      await page.getByLabel('Amount').fill('2');
      await page.getByRole('button', { name: 'Scan a QR code' }).click();
      await expect
        .poll(() => sendForm(page), { timeout: 20_000 })
        .toEqual({ to: bAddress, tokens: '7', memo: MEMO });
      expect(await page.getByTestId('scanner').count()).toBe(0);
      expect(await page.getByTestId('send-filled').textContent()).toBe(
        'Address, amount and memo filled in from the QR code.',
      );
      const tracks = await cameraTracks(page);
      expect(tracks.length).toBeGreaterThan(0);
      expect(tracks.every((state) => state === 'ended')).toBe(true);
      expect(await focusedTestId(page)).toBe('send-to');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 150_000);

  it('a QR code of a web page is named in words, the camera keeps looking, Stop scanning turns it off; a refused camera is said in words', async () => {
    const { browser, page, errors } = await cameraUser(SHOP, 'shop.y4m');
    try {
      await page.getByRole('button', { name: 'Scan a QR code' }).click();
      await expect
        .poll(() => page.getByTestId('scanner-problem').textContent(), { timeout: 20_000 })
        .toBe(`This QR code holds "${SHOP}", not an address (ttx1…) or a payment link.`);
      expect(await sendForm(page)).toEqual({ to: '', tokens: '', memo: '' });
      expect(await cameraTracks(page)).toEqual(['live']);
      await page.getByRole('button', { name: 'Stop scanning' }).click();
      expect(await cameraTracks(page)).toEqual(['ended']);
      expect(await focusedTestId(page)).toBe('send-scan');
      expect(errors).toEqual([]);

      // Someone who did not allow the camera, in the same browser (it has a camera, and refuses what is
      // not granted): said in words.
      const context = await browser.newContext();
      const refused = await context.newPage();
      await openNode(refused, world.devnet.appUrl);
      await showView(refused, 'Send');
      await refused.getByRole('button', { name: 'Scan a QR code' }).click();
      await expect
        .poll(() => refused.getByTestId('scanner-problem').textContent())
        .toMatch(/^The camera was refused\. Allow it for this page in the browser's site settings/);
    } finally {
      await browser.close();
    }
    expect(world.pageErrors, world.pageErrors.join('\n')).toEqual([]);
  }, 150_000);
});
