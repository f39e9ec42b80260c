// Vitest global setup: finds (and as root installs) what the suite needs beyond `npm ci`, once per
// run, and hands the result to the test files (`inject('prereqs')`, read by test/support/needs.ts).
import type { TestProject } from 'vitest/node';
import { preparePrereqs, type Prereqs } from './prereqs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    prereqs: Prereqs;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('prereqs', await preparePrereqs());
}
