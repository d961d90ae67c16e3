// The `torrenttx` command as a user runs it: a real child process on real files.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { txIdOf } from '../../src/core/txId.ts';
import { v1 } from '../support/vectors.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/torrenttx.js');
const dir = mkdtempSync(join(tmpdir(), 'ttx-cli-'));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('torrenttx replay', () => {
  it('reproduces the public vector replay exactly', async () => {
    const file = join(dir, 'replay.txt');
    writeFileSync(file, v1.replay.lines.map((l) => l.text).join('\n') + '\n');
    const { code, stdout } = await cli('replay', file, '--genesis', v1.genesisId);
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, -1)).toEqual(
      v1.replay.final.map((f) => ({ id: f.id, status: f.status, ...(f.reason ? { reason: f.reason } : {}) })),
    );
    expect(lines.at(-1)).toEqual({ balances: v1.replay.balances });
  });

  it('exits 2 with one line for an unreadable file or a bad genesis id', async () => {
    const missing = await cli('replay', join(dir, 'missing.txt'), '--genesis', v1.genesisId);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^torrenttx: cannot read .*missing\.txt \(ENOENT\)\n$/);
    const badId = await cli('replay', join(dir, 'replay.txt'), '--genesis', 'abc');
    expect(badId.code).toBe(2);
    expect(badId.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('torrenttx keygen, genesis, tx, id, verify', () => {
  it('makes a network and a mined payment that the replay accepts', async () => {
    const genesisKeys = JSON.parse((await cli('keygen')).stdout) as Record<string, string>;
    const alice = JSON.parse((await cli('keygen')).stdout) as Record<string, string>;
    expect(alice.address).toMatch(/^ttx1[02-9ac-hj-np-z]{58}$/);
    const genesis = await cli(
      'genesis',
      '--secret',
      genesisKeys.secretKey!,
      '--tokens',
      '5000',
      '--out',
      dir,
    );
    expect(genesis.code).toBe(0);
    const { id: genesisId, path } = JSON.parse(genesis.stdout) as { id: string; path: string };
    expect(txIdOf(readFileSync(path))).toBe(genesisId);
    expect((await cli('id', path)).stdout.trim()).toBe(genesisId);
    const pay = await cli(
      'tx',
      ...['--secret', genesisKeys.secretKey!, '--to', alice.address!, '--tokens', '100', '--prev', genesisId],
      ...['--memo', 'héllo', '--work', '6'],
    );
    expect(pay.code).toBe(0);
    const payBytes = pay.stdout; // not a terminal: the exact bytes, no newline
    expect(JSON.parse(payBytes).nonce).toBeTypeOf('number');
    const payFile = join(dir, 'pay.json');
    writeFileSync(payFile, payBytes);
    expect(JSON.parse((await cli('verify', payFile)).stdout)).toMatchObject({ status: 'valid' });
    const replayFile = join(dir, 'own.txt');
    writeFileSync(replayFile, readFileSync(path, 'utf8') + '\n' + payBytes);
    const replay = await cli('replay', replayFile, '--genesis', genesisId);
    const statuses = replay.stdout
      .trim()
      .split('\n')
      .slice(0, 2)
      .map((l) => JSON.parse(l).status);
    expect(statuses).toEqual(['accepted', 'accepted']);
  });

  it('verify names the reason of a bad tx and exits 1', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, v1.replay.lines.find((l) => l.name === 'bad-signature')!.text);
    const result = await cli('verify', file);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'invalid', reason: 'bad-signature' });
  });

  it('rejects a mistyped address with the checksum message, and unknown flags, with exit 2', async () => {
    const keys = JSON.parse((await cli('keygen')).stdout) as Record<string, string>;
    const typo = keys.address!.slice(0, -1) + (keys.address!.endsWith('q') ? 'p' : 'q');
    const result = await cli(
      'tx',
      '--secret',
      keys.secretKey!,
      '--to',
      typo,
      '--tokens',
      '1',
      '--prev',
      '0'.repeat(40),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('checksum does not match');
    expect((await cli('keygen', '--frob')).code).toBe(2);
    expect((await cli('nonsense')).stderr).toContain('unknown command');
  });
});
