// The stored triage behind a permalink (/t/:id), as every part sees it: the store keeps it, the web
// pages, Slack and the CLI read it. Pure data; its parts come from the model and the text pipeline's
// vocabulary (src/triage/types.ts, itself import-free).
import type { Diagnosis } from '../triage/types.js';
import type { CheckOutcome, Finding, Verdict } from './checks.js';

export interface TriageRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
  source: 'slack' | 'cli' | 'api';
  /** Redacted: the diagnosis holds only normalized, redacted text. */
  diagnosis: Diagnosis;
  cluster?: string;
  findings?: Finding[];
  verdict?: Verdict | null;
  checks?: { outcome: CheckOutcome; message?: string; completedAt: number };
  slack?: { channel: string; ts?: string; threadTs?: string };
}
