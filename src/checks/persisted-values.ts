// Helm re-applies the user-supplied values stored in the release (`--reuse-values`, pipelines that
// reuse them): a pinned image tag there outlives every later `--set`.
import { defineCheck, type Judgement } from './define.js';
import { isRecord } from './fields.js';
import { readRelease, releaseFromFacts, releaseHistory } from './releases.js';

export const REVISIONS_READ = 3;

export interface ValuePin {
  path: string;
  value: string;
}

export interface Gathered {
  release: string;
  namespace: string;
  chart: string | null;
  /** Newest first. */
  revisions: Array<{ version: number; status: string; pins: ValuePin[] }>;
}

const IMAGE_KEY = /image/i;
const PIN_LEAF = /^(tag|image|imageTag|version|digest|repository)$/i;

/** Pure: value paths that pin a container image, e.g. `image.tag` → "11", `postgresql.image.tag`. */
export function imagePins(values: unknown, prefix = ''): ValuePin[] {
  if (!isRecord(values)) return [];
  const out: ValuePin[] = [];
  for (const [key, v] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(v)) out.push(...imagePins(v, path));
    else if (typeof v === 'string' || typeof v === 'number') {
      const segments = path.split('.');
      const underImage = segments.slice(0, -1).some((s) => IMAGE_KEY.test(s));
      if ((underImage && PIN_LEAF.test(key)) || IMAGE_KEY.test(key)) {
        if (!/pullpolicy|pullsecret/i.test(key)) out.push({ path, value: String(v) });
      }
    }
  }
  return out;
}

/** Pure: the stored values at the paths the text set with --set (e.g. `service.port` → "7000"). */
export function namedPins(values: unknown, paths: readonly string[]): ValuePin[] {
  const out: ValuePin[] = [];
  for (const path of paths) {
    let v: unknown = values;
    for (const key of path.split('.')) v = isRecord(v) ? v[key] : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push({ path, value: String(v) });
  }
  return out;
}

/** Image pins first, then the --set paths of the text that the release stores too. */
function pinsOf(config: unknown, setPaths: readonly string[]): ValuePin[] {
  const image = imagePins(config);
  return [...image, ...namedPins(config, setPaths).filter((n) => !image.some((p) => p.path === n.path))];
}

export const persistedValues = defineCheck<Gathered>({
  id: 'persisted-values',
  decisive: true,
  description: 'User-supplied values stored in the latest revisions, and the paths in them that pin an image or tag (or that the text set with --set).',
  permissions: ['list secrets (labels owner=helm,name=<release>) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const latest = history.slice(-REVISIONS_READ).reverse();
    const records = await Promise.all(latest.map((m) => readRelease(kube, m, namespace, signal)));
    const setPaths = Object.keys(facts.setValues ?? {});
    const revisions = records.filter((r) => r !== null).map((r) => ({ version: r.version, status: r.status, pins: pinsOf(r.config, setPaths) }));
    const chart = facts.chart ?? records.find((r) => r !== null)?.chart ?? null;
    return { release, namespace, chart, revisions };
  },
  judge({ release, namespace, chart, revisions }, facts): Judgement {
    const latest = revisions[0];
    if (!latest) return { status: 'inconclusive', summary: `release ${release} has no revisions in ${namespace}`, evidence: [] };
    const evidence = revisions.map((r) => `revision ${r.version} (${r.status}) user-supplied: ${r.pins.length > 0 ? r.pins.map((p) => `${p.path}=${JSON.stringify(p.value)}`).join(', ') : 'no image values (nor the --set paths of the text)'}`);
    const pin = latest.pins[0];
    if (!pin) {
      return { status: 'refuted', summary: `revision ${latest.version} of ${release} stores no user-supplied image values (nor the --set paths of the text): nothing persisted pins the image`, evidence };
    }
    const carried = revisions.slice(1).filter((r) => r.pins.some((p) => p.path === pin.path && p.value === pin.value)).map((r) => r.version);
    const requested = facts.setValues?.[pin.path];
    const setFlags = latest.pins.map((p) => `--set ${p.path}=<new>`).join(' ');
    const resetCommand = `helm upgrade ${release} ${chart ?? '<chart>'} -n ${namespace} --reset-values -f <your values file> ${setFlags}`;
    evidence.push(`to drop the stored values: ${resetCommand}`);
    const also = carried.length > 0 ? ` (also in revision ${carried.join(', ')})` : '';
    const clash = requested !== undefined && requested !== pin.value ? `; the command asked for ${requested}` : '';
    return {
      status: 'confirmed',
      summary: `revision ${latest.version} of ${release} stores user-supplied ${pin.path}=${JSON.stringify(pin.value)}${also}${clash}: upgrades that reuse values re-apply it`,
      evidence,
      learned: { pinnedPath: pin.path, pinnedValue: pin.value, pinnedKeys: latest.pins.map((p) => p.path).join(','), resetCommand },
    };
  },
});
