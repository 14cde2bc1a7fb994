import { z } from 'astro:schema';
import { PARTNER_KINDS } from '~/lib/dialogue/catalogue.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { db } from '~/server/db/index.ts';
import { applyAsPartner, approvePartner, rejectPartner } from '~/server/partners/applications.ts';
import { defineAction } from './define.ts';
import { answerDecision, answerSubmission, applicantFields, rejectionReason, reviewer } from './applications.ts';
import { choice, id, oneLine } from './fields.ts';
import { notifier, requestClientAddress, requestLanguage } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const KNOWN_REGIONS = new Set(TAXONOMIES.regions.map((term) => term.id));

/** Organisations apply to be partners; editors decide (as for towns: src/actions/membership.ts). */
export const partnersActions = {
  apply: defineAction({
    accept: 'form',
    input: z.object({
      name: oneLine(200),
      kind: choice(PARTNER_KINDS, 'partners.apply.kindChoose'),
      registrationNumber: oneLine(40).refine((value) => /^[\dA-Za-z][\dA-Za-z\s/-]{3,}$/.test(value), 'partners.apply.registrationFormat'),
      sector: oneLine(200),
      regions: z.array(z.string().refine((value) => KNOWN_REGIONS.has(value), 'apply.unknownRegion')).min(1, 'partners.apply.regionsRequired').max(KNOWN_REGIONS.size, 'form.tooLong'),
      ...applicantFields,
    }),
    handler: async (input, context) => {
      const outcome = await applyAsPartner(db(), notifier(), { ...input, language: requestLanguage(context) }, requestClientAddress(context));
      return answerSubmission(outcome);
    },
  }),

  approve: defineAction({
    accept: 'form',
    input: z.object({ partner: id() }),
    handler: async (input, context) => {
      const user = reviewer(context);
      const outcome = await approvePartner(db(), notifier(), { partnerId: input.partner, editorId: user.id, clientAddress: requestClientAddress(context) });
      answerDecision(outcome);
      return { approved: true };
    },
  }),

  reject: defineAction({
    accept: 'form',
    input: z.object({ partner: id(), reason: rejectionReason }),
    handler: async (input, context) => {
      const user = reviewer(context);
      const outcome = await rejectPartner(db(), notifier(), { partnerId: input.partner, editorId: user.id, reason: input.reason, clientAddress: requestClientAddress(context) });
      answerDecision(outcome);
      return { rejected: true };
    },
  }),
};
