// Sweeps beyond one machine: `--shard auto` takes the shard from a scheduler's environment, and
// the example Kubernetes Indexed Job and GitHub Actions matrix workflow, run as written (their
// commands, their environment variables, N processes at once, then the merge), give back the
// unsharded sweep byte for byte.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { autoShard } from '../src/cli/sweep.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href;

describe('--shard auto', () => {
  it('Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based) and the count passed in', () => {
    expect(autoShard({ JOB_COMPLETION_INDEX: '0' }, '4')).toMatchObject({ k: 1, n: 4 });
    expect(autoShard({ JOB_COMPLETION_INDEX: '3', TDXMODEL_SHARDS: '4' }, undefined)).toMatchObject({ k: 4, n: 4 });
  });

  it('a CI matrix: TDXMODEL_SHARD_INDEX/TDXMODEL_SHARDS; GitLab CI_NODE_INDEX is 1-based; Buildkite', () => {
    expect(autoShard({ TDXMODEL_SHARD_INDEX: '2', TDXMODEL_SHARDS: '3' }, undefined)).toMatchObject({ k: 3, n: 3 });
    expect(autoShard({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '5' }, undefined)).toMatchObject({ k: 1, n: 5 });
    expect(autoShard({ BUILDKITE_PARALLEL_JOB: '4', BUILDKITE_PARALLEL_JOB_COUNT: '5' }, undefined)).toMatchObject({ k: 5, n: 5 });
  });

  it('no index, no count, or an index beyond the count: a usage error that says what to set', () => {
    expect(() => autoShard({}, '4')).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => autoShard({ JOB_COMPLETION_INDEX: '1' }, undefined)).toThrow(/--shards N/);
    expect(() => autoShard({ JOB_COMPLETION_INDEX: '4' }, '4')).toThrow(/from 0 to N-1/);
    expect(() => autoShard({ CI_NODE_INDEX: '0', CI_NODE_TOTAL: '2' }, undefined)).toThrow(/from 1 to N/);
    expect(() => autoShard({ JOB_COMPLETION_INDEX: '-1' }, '4')).toThrow(/whole number/);
  });
});

/** Run a command line (argv or a shell string) to completion; resolves with its exit code and stderr. */
function run(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: opts.env, cwd: opts.cwd });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, stdout }));
  });
}

describe('the example scale-out files, run as written', () => {
  let binDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    // `tdxmodel` on PATH: this checkout's command line (the files assume an installed one).
    binDir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-bin-'));
    const shim = path.join(binDir, 'tdxmodel');
    writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' --import '${TSX}' '${path.join(ROOT, 'test/helpers/cliMain.ts')}' "$@"\n`);
    chmodSync(shim, 0o755);
    env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' };
    for (const v of ['JOB_COMPLETION_INDEX', 'TDXMODEL_SHARD_INDEX', 'TDXMODEL_SHARDS', 'CI_NODE_INDEX', 'CI_NODE_TOTAL', 'BUILDKITE_PARALLEL_JOB', 'BUILDKITE_PARALLEL_JOB_COUNT']) delete env[v];
  });

  it('Kubernetes: N pods of the Indexed Job, then the merge Job, equal the unsharded sweep', async () => {
    const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'examples/k8s/sweep-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    const [sweepJob, mergeJob] = ['tdx-sweep', 'tdx-sweep-merge'].map((n) => docs.find((d) => d.kind === 'Job' && d.metadata.name === n));
    expect(sweepJob.spec.completionMode).toBe('Indexed');
    const n: number = sweepJob.spec.completions;
    // Volumes: the ConfigMap's files in one directory, the shared claim in another.
    const work = mkdtempSync(path.join(tmpdir(), 'tdxmodel-k8s-'));
    const dirs: Record<string, string> = {};
    const volumeDir = (v: { name: string; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }): string => {
      const key = v.configMap ? `cm-${v.configMap.name}` : `pvc-${v.persistentVolumeClaim!.claimName}`;
      if (!dirs[key]) {
        dirs[key] = path.join(work, key);
        mkdirSync(dirs[key]);
        if (v.configMap) for (const [f, text] of Object.entries(configMap.data as Record<string, string>)) writeFileSync(path.join(dirs[key], f), text);
      }
      return dirs[key];
    };
    const container = (job: typeof sweepJob): { argv: string[]; env: Record<string, string> } => {
      const pod = job.spec.template.spec;
      const c = pod.containers[0];
      let argv: string[] = [...c.command, ...(c.args ?? [])];
      for (const m of c.volumeMounts) {
        const dir = volumeDir(pod.volumes.find((v: { name: string }) => v.name === m.name));
        argv = argv.map((a) => a.replaceAll(`${m.mountPath}/`, `${dir}/`));
      }
      return { argv, env: Object.fromEntries((c.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value])) };
    };
    const shard = container(sweepJob);
    expect(Number(shard.env.TDXMODEL_SHARDS), 'TDXMODEL_SHARDS equals .spec.completions').toBe(n);
    const pods = await Promise.all(Array.from({ length: n }, (_, i) => run(shard.argv, { env: { ...env, ...shard.env, JOB_COMPLETION_INDEX: String(i) } })));
    pods.forEach((p, i) => expect(p.code, `pod ${i}: ${p.stderr}`).toBe(0));
    const merge = container(mergeJob);
    const m = await run(merge.argv, { env: { ...env, ...merge.env } });
    expect(m.code, m.stderr).toBe(0);
    const results = Object.entries(dirs).find(([k]) => k.startsWith('pvc-'))![1];
    expect(readdirSync(results).sort()).toEqual([...Array.from({ length: n }, (_, i) => `shard-${i}.csv`), 'sweep.csv'].sort());
    const whole = await run(['tdxmodel', 'sweep', path.join(dirs[`cm-${configMap.metadata.name}`], 'sweep.yaml')], { env });
    expect(whole.code).toBe(0);
    expect(whole.stdout.split('\n').length).toBeGreaterThan(200);
    expect(readFileSync(path.join(results, 'sweep.csv'), 'utf8')).toBe(whole.stdout);
  }, 240_000);

  it('GitHub Actions: the matrix jobs, then the merge job, equal the unsharded sweep', async () => {
    const wf = parse(readFileSync(path.join(ROOT, 'examples/github-actions/sweep-matrix.yml'), 'utf8'));
    const shards: unknown[] = wf.jobs.shard.strategy.matrix.shard;
    const n = shards.length;
    const work = mkdtempSync(path.join(tmpdir(), 'tdxmodel-gha-'));
    const artifacts = path.join(work, 'artifacts');
    mkdirSync(artifacts);
    // ${{ ... }} as the runner evaluates it, for the contexts the file uses; anything else fails.
    const expr = (s: string, ctx: Record<string, string>): string => s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      if (!(e in ctx)) throw new Error(`workflow expression \${{ ${e} }} not handled by this test`);
      return ctx[e];
    });
    /** One job on a fresh "runner": checkout copies the example spec, run steps go to sh, artifacts to a directory. */
    const runJob = async (job: { env?: Record<string, string>; steps: Record<string, any>[] }, ctx: Record<string, string>, name: string): Promise<string> => {
      const ws = path.join(work, name);
      mkdirSync(ws);
      const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, expr(String(v), ctx)]));
      for (const step of job.steps) {
        const uses: string = step.uses ?? '';
        if (uses.startsWith('actions/checkout')) {
          mkdirSync(path.join(ws, 'examples'), { recursive: true });
          copyFileSync(path.join(ROOT, 'examples/sweep-spec.yaml'), path.join(ws, 'examples/sweep-spec.yaml'));
        } else if (uses.startsWith('actions/upload-artifact')) {
          const dir = path.join(artifacts, expr(step.with.name, ctx));
          mkdirSync(dir);
          const file = expr(step.with.path, ctx);
          copyFileSync(path.join(ws, file), path.join(dir, path.basename(file)));
        } else if (uses.startsWith('actions/download-artifact')) {
          expect(step.with['merge-multiple']).toBe(true);
          const re = new RegExp(`^${step.with.pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
          for (const a of readdirSync(artifacts).filter((d) => re.test(d))) {
            for (const f of readdirSync(path.join(artifacts, a))) copyFileSync(path.join(artifacts, a, f), path.join(ws, f));
          }
        } else if (step.run !== undefined && step.id !== 'install') {
          // The install step puts tdxmodel on PATH; the shim above stands in for it.
          const r = await run(['sh', '-c', expr(step.run, ctx)], { env: { ...env, ...jobEnv }, cwd: ws });
          expect(r.code, `${name} ${step.id}: ${r.stderr}`).toBe(0);
        }
      }
      return ws;
    };
    await Promise.all(shards.map((s, i) => runJob(wf.jobs.shard, {
      'strategy.job-index': String(i), 'strategy.job-total': String(n), 'matrix.shard': String(s),
    }, `shard-job-${i}`)));
    expect(wf.jobs.merge.needs).toBe('shard');
    const ws = await runJob(wf.jobs.merge, {}, 'merge-job');
    const whole = await run(['tdxmodel', 'sweep', path.join(ROOT, 'examples/sweep-spec.yaml')], { env });
    expect(whole.code).toBe(0);
    expect(readFileSync(path.join(ws, 'sweep.csv'), 'utf8')).toBe(whole.stdout);
  }, 240_000);
});
