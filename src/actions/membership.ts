import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { isLanguage } from '~/i18n/index.ts';
import { auth } from '~/server/auth/index.ts';
import { writeSessionCookie } from '~/server/auth/cookies.ts';
import { db } from '~/server/db/index.ts';
import { mailer } from '~/server/mail/index.ts';
import { applyForMembership, approveApplication, rejectApplication } from '~/server/membership/applications.ts';
import { removeColleague } from '~/server/membership/colleagues.ts';
import { acceptInvitation, sendInvitation } from '~/server/membership/invitations.ts';
import { colleagueOrganisation } from '~/server/membership/rules.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { parseId } from '~/lib/ids.ts';
import { answerDecision, answerSubmission, applicantFields, rejectionReason, reviewer } from './applications.ts';
import { email, id, oneLine, required, userId } from './fields.ts';
import { notifier, publicBaseUrl, requestClientAddress, requestLanguage } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Applying, reviewing, inviting, accepting and removing. */
export const membershipActions = {
  apply: defineAction({
    accept: 'form',
    input: z.object({
      townName: oneLine(120),
      region: required.refine((value) => TAXONOMIES.regions.some((term) => term.id === value), 'apply.unknownRegion'),
      population: z
        .string()
        .trim()
        .max(9, 'apply.populationNumber')
        .refine((value) => value === '' || /^\d+$/.test(value), 'apply.populationNumber')
        .optional(),
      mainIndustry: oneLine(200),
      ...applicantFields,
    }),
    handler: async (input, context) => {
      const outcome = await applyForMembership(
        db(),
        notifier(),
        { ...input, population: input.population ? Number(input.population) : null, language: requestLanguage(context) },
        requestClientAddress(context),
      );
      return answerSubmission(outcome);
    },
  }),

  approve: defineAction({
    accept: 'form',
    input: z.object({ application: id(), town: z.string().refine((value) => value === 'new' || parseId(value) !== null, 'form.invalid') }),
    handler: async (input, context) => {
      const user = reviewer(context);
      const outcome = await approveApplication(db(), mailer(), {
        applicationId: input.application,
        editorId: user.id,
        existingTownId: parseId(input.town),
        baseUrl: publicBaseUrl(),
        clientAddress: requestClientAddress(context),
      });
      answerDecision(outcome);
      return { approved: true };
    },
  }),

  reject: defineAction({
    accept: 'form',
    input: z.object({ application: id(), reason: rejectionReason }),
    handler: async (input, context) => {
      const user = reviewer(context);
      const outcome = await rejectApplication(db(), mailer(), {
        applicationId: input.application,
        editorId: user.id,
        reason: input.reason,
        clientAddress: requestClientAddress(context),
      });
      answerDecision(outcome);
      return { rejected: true };
    },
  }),

  acceptInvitation: defineAction({
    accept: 'form',
    input: z
      .object({ token: required.max(200, 'form.tooLong'), displayName: oneLine(100), password: required.max(1024, 'form.tooLong'), confirm: required.max(1024, 'form.tooLong') })
      .refine((input) => input.password === input.confirm, { message: 'passwordReset.mismatch', path: ['confirm'] }),
    handler: async (input, context) => {
      const outcome = await acceptInvitation(db(), auth(), {
        token: input.token,
        displayName: input.displayName,
        password: input.password,
        clientAddress: requestClientAddress(context),
      });
      if (!outcome.ok) {
        const message = outcome.problem.startsWith('password.') ? outcome.problem : `invitation.${outcome.problem}`;
        throw new ActionError({ code: 'BAD_REQUEST', message });
      }
      if (context.locals.session) await auth().invalidateSession(context.locals.session.id);
      writeSessionCookie(context.cookies, outcome.cookie);
      return { language: outcome.language };
    },
  }),

  inviteColleague: defineAction({
    accept: 'form',
    input: z.object({ email, name: oneLine(100) }),
    handler: async (input, context) => {
      const user = context.locals.user;
      // The organisation is always the inviter's own (a town, or a partner): no field names
      // it, so no one can invite into another.
      const organisation = colleagueOrganisation(user);
      if (!user || !organisation) throw new ActionError({ code: 'FORBIDDEN', message: 'auth.forbidden' });
      const outcome = await sendInvitation(db(), mailer(), {
        email: input.email,
        name: input.name,
        role: organisation.invitedRole,
        townId: organisation.kind === 'town' ? organisation.id : null,
        partnerId: organisation.kind === 'partner' ? organisation.id : null,
        language: isLanguage(context.params.lang) ? context.params.lang : user.language,
        invitedBy: user.id,
        baseUrl: publicBaseUrl(),
        clientAddress: requestClientAddress(context),
      });
      if (outcome === 'emailHasAccount') throw new ActionError({ code: 'CONFLICT', message: 'colleagues.emailHasAccount' });
      return { invited: input.email };
    },
  }),

  removeColleague: defineAction({
    accept: 'form',
    input: z.object({ user: userId('colleagues.cannotRemove') }),
    handler: async (input, context) => {
      if (!(await removeColleague(db(), auth(), { actor: context.locals.user, userId: input.user, clientAddress: requestClientAddress(context) }))) {
        throw new ActionError({ code: 'FORBIDDEN', message: 'colleagues.cannotRemove' });
      }
      return { removed: true };
    },
  }),
};
