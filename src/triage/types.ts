// Shared vocabulary of the text pipeline. Pure data: no I/O anywhere near these types.

export type HelmVerb =
  | 'install' | 'upgrade' | 'rollback' | 'uninstall' | 'template' | 'lint' | 'test'
  | 'status' | 'history' | 'get' | 'pull' | 'dependency';

export interface ResourceRef {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** What the extractor found in the text. Every field is optional: a paste rarely holds them all. */
export interface Facts {
  verb?: HelmVerb;
  release?: string;
  namespace?: string;
  chart?: string;
  /** Revision named in the text (e.g. the rollback target `helm rollback web 3`). */
  revision?: number;
  /** The failing resource, when one is named (`Service "web" is invalid`). */
  resource?: ResourceRef;
  /** Every resource named in the text (e.g. the ones in "not found, skipping delete" lines). */
  resources?: ResourceRef[];
  /** Field path of a validation error, e.g. `spec.loadBalancerClass`. */
  field?: string;
  /** Admission webhook name, e.g. `mservice.elbv2.k8s.aws`. */
  webhook?: string;
  /** The webhook's service as `namespace/name`. */
  webhookService?: string;
  /** API group/version of the failing kind, e.g. `policy/v1beta1`. */
  apiVersion?: string;
  /** Kind named with apiVersion in "no matches for kind X in version Y". */
  kind?: string;
  /** Kubernetes server version when the text carries one, e.g. `1.21.5`. */
  kubeVersion?: string;
  /** Flags used on the helm command line, normalized without values: `--force`, `--atomic` … */
  flags?: string[];
  /** `--set key=value` pairs from the command line (values already redacted). */
  setValues?: Record<string, string>;
  /** Container image named in the text. */
  image?: string;
}

export type FactName = keyof Facts;

/** A suggested command after placeholders were filled. */
export interface RenderedCommand {
  command: string;
  description?: string;
  effect: 'read-only' | 'changes-cluster';
  /** One line, required for changes-cluster commands: what can go wrong. */
  risk?: string;
  /** Placeholders that no fact filled; they stay visible in `command` as `<name>`. */
  missing?: string[];
}

export interface Evidence {
  /** 1-based line number in the normalized, redacted text. */
  line: number;
  text: string;
  /** Id or pattern of the signal that matched. */
  signal: string;
  weight: number;
}

/** Which signals gave a match its score: `score` combines the rule score and the model's posterior. */
export interface MatchSignals {
  /** Rule score alone: noisy-OR of the matched signals, times the matched vetoes. */
  rule: number;
  /** The model's posterior probability for this playbook; null when the rules alone were decisive. */
  model: number | null;
  /** The word n-grams that most favoured this playbook in the model (over its strongest rival). */
  terms: string[];
  /** On the diagnosed match: what carried it over the abstain line. */
  decidedBy?: 'rules' | 'model' | 'rules+model';
}

export interface Match {
  playbook: string;
  title: string;
  /** Combined score of the rule signals and the model, 0..1; the diagnosis needs the abstain line. */
  score: number;
  evidence: Evidence[];
  /** True when this match is secondary noise around the primary error (e.g. cleanup messages). */
  noise?: boolean;
  signals?: MatchSignals;
}

/** How the engine decided: the line it used and, when it abstained because of one, the lookalike. */
export interface Decision {
  threshold: number;
  /** What carried the diagnosis; null when the engine abstained. */
  decidedBy: MatchSignals['decidedBy'] | null;
  /** The model's own top class (a playbook id, a lookalike id, "(none)" or "(none) <playbook>" for a playbook's
   * near misses) and its posterior; null when the rules were decisive and the model was not consulted. */
  model: { top: string; probability: number } | null;
  /** The text looks like this instead of a Helm failure (a lookalike outranked every playbook). */
  lookalike?: { id: string; looksLike: string; score: number; rule: number; model: number | null };
}

export interface InputInfo {
  bytes: number;
  lines: number;
  truncated: boolean;
  /** Human sentence saying what was cut, when truncated. */
  truncation?: string;
  redactions: number;
  binary: boolean;
}

export interface Diagnosis {
  playbook: string | null;
  title: string | null;
  confidence: number;
  facts: Facts;
  rootCause: string | null;
  commands: RenderedCommand[];
  matches: Match[];
  /** Checks the matched playbook asks for (ids in src/checks). */
  checks: string[];
  /** Short notes for the reader: noise flagged, input cut, where the error text came from … */
  notes: string[];
  /** Which signals decided (absent on empty, binary or failed input). */
  decision?: Decision;
  input: InputInfo;
  /** The normalized, redacted text: the only form of the input the system keeps. */
  text: string;
}
