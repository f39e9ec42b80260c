// The "paste here" modal opened by `/helm-triage` with no text. private_metadata carries where to answer.
import type { types } from '@slack/bolt';
import { z } from 'zod';

export const TRIAGE_MODAL = { callbackId: 'ht_triage_modal', blockId: 'ht_text', actionId: 'ht_text_input' } as const;

const modalMetadataSchema = z.object({
  channel: z.string().optional(),
  responseUrl: z.string().optional(),
  private: z.boolean().default(false),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

export function triageModal(metadata: ModalMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: TRIAGE_MODAL.callbackId,
    title: { type: 'plain_text', text: 'Helm triage' },
    submit: { type: 'plain_text', text: 'Diagnose' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'input',
        block_id: TRIAGE_MODAL.blockId,
        label: { type: 'plain_text', text: 'Failed Helm command and its output' },
        hint: { type: 'plain_text', text: 'Secrets are redacted before anything is stored. You may start with --release, --namespace or --cluster.' },
        element: {
          type: 'plain_text_input',
          action_id: TRIAGE_MODAL.actionId,
          multiline: true,
          max_length: 3000,
          placeholder: { type: 'plain_text', text: 'Error: UPGRADE FAILED: …' },
        },
      },
    ],
  };
}

export function parseModalMetadata(raw: string | undefined): ModalMetadata {
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(raw ?? '{}'));
    return parsed.success ? parsed.data : { private: false };
  } catch {
    return { private: false };
  }
}
