import {
  AUDIT_TEXTS,
  auditActionLabel,
  auditCommentLabel,
  auditTargetLabel,
  renderRunText,
  formatDateTime,
  formatHumanDuration,
  formatList,
  LANGUAGES,
  MESSAGE_CODES,
  messageParamsSchema,
  message,
  parseMessage,
  renderMessage,
  renderStepTitle,
  renderStoredMessage,
  workloadKindLabel,
} from '../../domain';
import { EXAMPLES } from '../support/message-examples';

describe('the message catalogue', () => {
  it.each(MESSAGE_CODES)('renders %s in French and in English, differently, with no placeholder left', (code) => {
    const params = EXAMPLES[code];
    expect(messageParamsSchema(code).safeParse(params).success).toBe(true);
    const french = renderMessage(code, params as never, 'fr');
    const english = renderMessage(code, params as never, 'en');
    for (const rendered of [french, english]) {
      expect(rendered.length).toBeGreaterThan(3);
      expect(rendered).not.toMatch(/undefined|\[object|NaN|\$\{/);
    }
    expect(french).not.toBe(english);
  });

  it('says what an edit of a draft changed, for which selection, in the reader’s language', () => {
    const edited = message('DRAFT_EDITED', EXAMPLES.DRAFT_EDITED);
    expect(renderStoredMessage(edited, 'fr')).toBe(
      'Catégories : données de santé et données personnelles ; criticité élevée pour l’application Dossier patient (2 charges modifiées : srv-dpi-app01 et srv-dpi-sql01)',
    );
    expect(renderStoredMessage(edited, 'en')).toBe('Categories: health data and personal data; criticality high for application Dossier patient (2 workloads changed: srv-dpi-app01 and srv-dpi-sql01)');
    expect(renderMessage('DRAFT_EDITED', { excludedReason: 'décommissionné', untagged: true, workloadIds: [], workloadCount: 0 }, 'fr')).toBe(
      'Exclue (décommissionné) pour les charges sans catégorie (aucune charge modifiée)',
    );
  });

  it('writes correct French, with accents and French typography', () => {
    expect(renderMessage('PHASE_ENTERED', { phase: 'AWAITING_QUALIFICATION' }, 'fr')).toBe('Phase : attente de la qualification');
    expect(renderMessage('STEP_STATE_CHANGED', EXAMPLES.STEP_STATE_CHANGED, 'fr')).toBe(
      'Coffre de clés secnumcloud-hds (clés gérées par le client, en France) : réussie',
    );
    expect(renderMessage('GATE_ZONE_WAITS', EXAMPLES.GATE_ZONE_WAITS, 'fr')).toBe(
      'La zone secnumcloud-hds attend la qualification SecNumCloud en vigueur et la certification HDS (jalon actuel : J2)',
    );
    expect(renderMessage('WARNING_TRANSFER_OVER_A_WEEK', EXAMPLES.WARNING_TRANSFER_OVER_A_WEEK, 'fr')).toBe(
      'Copier 45\u202f000 Go à 100 Mbit/s prend 41 jours et 16 heures, plus d’une semaine : lancez la réplication tôt ou expédiez les données',
    );
    expect(renderMessage('RUN_REJECTED', EXAMPLES.RUN_REJECTED, 'fr')).toBe(
      'Migration rejetée : dpo@ght a refusé l’approbation « avis du délégué à la protection des données » (« le registre n’est pas à jour »)',
    );
    expect(renderMessage('ATTENTION_DEROGATION_EXPIRED', EXAMPLES.ATTENTION_DEROGATION_EXPIRED, 'fr')).toBe(
      'La dérogation de la zone secnumcloud a expiré le 31 juillet 2028 à 09:00 UTC, avant la qualification : renouvelez-la ou décidez de la suite ; rien de ce qui a déjà basculé n’est défait',
    );
    expect(renderMessage('NOT_ELIGIBLE', { causes: ['CLASSIFIED', 'INDUSTRIAL_CONTROL'] }, 'fr')).toBe(
      'Les informations classifiées restent hors du cloud (IGI 1300) ; les systèmes industriels restent sur site',
    );
  });

  it('writes the English the workflow writes today where the meaning is the same', () => {
    expect(renderMessage('NOT_ELIGIBLE', { causes: ['INDUSTRIAL_CONTROL'] }, 'en')).toBe('Industrial control systems stay on site');
    expect(renderMessage('GATE_WAITS_FOR_SECNUMCLOUD', EXAMPLES.GATE_WAITS_FOR_SECNUMCLOUD, 'en')).toBe(
      'SecNumCloud qualification in force (the provider is at milestone J2), needed by secnumcloud-hds and m365-tenant',
    );
    expect(renderMessage('WAVE_DONE', EXAMPLES.WAVE_DONE, 'en')).toBe('wave-2: 4 migrated, 1 skipped');
    expect(renderMessage('ATTENTION_STEP_FAILED', EXAMPLES.ATTENTION_STEP_FAILED, 'en')).toBe(
      'Dossier patient informatisé: switch traffic failed: DNS refused',
    );
  });

  it('builds typed messages that survive a JSON round trip and render the same', () => {
    const built = message('WAVES_PLANNED', { waves: 2, workloads: 1 });
    const stored: unknown = JSON.parse(JSON.stringify(built));
    expect(parseMessage(stored)).toEqual(built);
    for (const language of LANGUAGES) expect(renderStoredMessage(stored, language)).toBe(renderMessage('WAVES_PLANNED', built.params, language));
    expect(renderMessage('WAVES_PLANNED', built.params, 'fr')).toBe('2 vagues planifiées pour 1 charge');
  });

  it('renders what it cannot read as a safe fallback rather than throwing', () => {
    expect(parseMessage({ code: 'FROM_THE_FUTURE', params: {} })).toBeUndefined();
    expect(renderStoredMessage({ code: 'FROM_THE_FUTURE', params: {} }, 'fr')).toBe('Message illisible (FROM_THE_FUTURE)');
    expect(renderStoredMessage({ code: 'WAVE_DONE', params: { waveId: 'wave-1' } }, 'en')).toBe('Unreadable message (WAVE_DONE)');
    expect(renderStoredMessage({ code: 'RUN_COMPLETED', params: { extra: true } }, 'en')).toBe('Unreadable message (RUN_COMPLETED)');
    expect(renderStoredMessage('plain text', 'en')).toBe('Unreadable message (no code)');
    expect(renderStoredMessage(null, 'fr')).toBe('Message illisible (sans code)');
  });
});

describe('the formats messages use', () => {
  it('lists items with the language’s conjunction, and shortens long lists', () => {
    expect(formatList(['a'], 'fr')).toBe('a');
    expect(formatList(['a', 'b', 'c'], 'fr')).toBe('a, b et c');
    expect(formatList(['a', 'b', 'c'], 'en')).toBe('a, b and c');
    expect(formatList(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'fr')).toBe('a, b, c, d, e et 2 autres');
    expect(formatList(['a', 'b', 'c', 'd', 'e', 'f'], 'en')).toBe('a, b, c, d, e and 1 more');
    expect(formatList([], 'fr')).toBe('aucun');
    expect(formatList(['a', 'b'], 'en', 4000)).toBe('a, b and 3998 more');
    expect(renderMessage('APPROVAL_NEEDED_FOR_CATEGORY', EXAMPLES.APPROVAL_NEEDED_FOR_CATEGORY, 'fr')).toBe(
      'Données de santé dans dpi, dpi-db, lis, mail, pacs et 2 autres',
    );
  });

  it('writes dates in UTC for people', () => {
    expect(formatDateTime('2027-08-01T07:05:00Z', 'fr')).toBe('1er août 2027 à 07:05 UTC');
    expect(formatDateTime('2027-12-31T23:59:00+01:00', 'en')).toBe('31 December 2027, 22:59 UTC');
    expect(formatDateTime('not a date', 'en')).toBe('not a date');
  });

  it('writes durations as their two largest units', () => {
    expect(formatHumanDuration('P41DT16H5M', 'fr')).toBe('41 jours et 16 heures');
    expect(formatHumanDuration('PT1H', 'en')).toBe('1 hour');
    expect(formatHumanDuration('PT0S', 'en')).toBe('0 seconds');
    expect(formatHumanDuration('P1DT0H5M', 'en')).toBe('1 day');
    expect(formatHumanDuration('soon', 'fr')).toBe('soon');
  });

  it('names every step from its stable id, and shows an unknown id as it is', () => {
    expect(renderStepTitle('assessment', 'fr')).toBe('Évaluation de l’inventaire');
    expect(renderStepTitle('approval.dpia', 'fr')).toBe('Approbation : analyse d’impact relative à la protection des données (AIPD)');
    expect(renderStepTitle('provisioning.landing-zone.standard', 'en')).toBe('Landing zone standard');
    expect(renderStepTitle('provisioning.m365-tenant', 'fr')).toBe('Locataire Microsoft 365');
    expect(renderStepTitle('cutover.wave-1.dpi.final-sync', 'fr')).toBe('dpi : synchronisation finale');
    expect(renderStepTitle('cutover.wave-1.dpi.final-sync', 'en', 'Patient record')).toBe('Patient record: final sync');
    expect(renderStepTitle('cutover.wave-1.dpi.teleport', 'en')).toBe('cutover.wave-1.dpi.teleport');
  });
});

describe('the audit trail in the reader’s language', () => {
  it('names the action, the target and the run’s own comments, and keeps a person’s words as written', () => {
    expect(auditActionLabel('APPROVE', 'fr')).toBe('a approuvé');
    expect(auditActionLabel('START', 'en')).toBe('started the run');
    expect(auditActionLabel('FROM_THE_FUTURE', 'fr')).toBe('FROM_THE_FUTURE');
    expect(auditTargetLabel(AUDIT_TEXTS.approvalTarget('dpia'), 'fr')).toBe('l’approbation « analyse d’impact relative à la protection des données (AIPD) »');
    expect(auditTargetLabel(AUDIT_TEXTS.everyPendingApproval, 'fr')).toBe('toutes les approbations en attente');
    expect(auditTargetLabel(AUDIT_TEXTS.everyWave, 'fr')).toBe('toutes les vagues');
    expect(auditTargetLabel('provisioning.key-vault.standard', 'fr')).toBe('Coffre de clés standard (clés gérées par le client, en France)');
    expect(auditTargetLabel('wave-2', 'fr')).toBe('wave-2');
    expect(auditCommentLabel('EXTEND_DEADLINE', AUDIT_TEXTS.extensionComment('P7D'), 'fr')).toBe('de 7 jours');
    expect(auditCommentLabel('EXTEND_DEADLINE', AUDIT_TEXTS.extensionComment('PT12H', 'le RSSI est en congé'), 'fr')).toBe('de 12 heures : le RSSI est en congé');
    expect(auditCommentLabel('OPEN_CUTOVER_WINDOW', AUDIT_TEXTS.windowComment('2027-01-09T22:00:00.000Z', '2027-01-10T04:00:00.000Z', 'demande du directeur'), 'fr')).toBe(
      'du 9 janvier 2027 à 22:00 UTC au 10 janvier 2027 à 04:00 UTC : demande du directeur',
    );
    expect(auditCommentLabel('APPROVE', 'by the book', 'fr')).toBe('by the book');
    expect(renderMessage('AUDIT_RECORDED', EXAMPLES.AUDIT_RECORDED, 'fr')).toBe('rssi@ght a approuvé l’approbation « validation du RSSI »');
  });

  it('says a run failed once, also for a run that wrote its error with the old prefix', () => {
    expect(renderMessage('RUN_FAILED', { error: 'wave-1 terminated' }, 'fr')).toBe('Migration en échec : wave-1 terminated');
    expect(renderMessage('RUN_FAILED', { error: 'the run failed: wave-1 terminated' }, 'fr')).toBe('Migration en échec : wave-1 terminated');
    expect(renderMessage('RUN_FAILED', { error: 'the run failed: wave-1 terminated' }, 'en')).toBe('Run failed: wave-1 terminated');
  });

  it('names workload kinds', () => {
    expect(workloadKindLabel('database', 'fr')).toBe('base de données');
    expect(workloadKindLabel('ot', 'en')).toBe('industrial system');
    expect(workloadKindLabel('mainframe', 'fr')).toBe('mainframe');
  });
});

describe('what a run wrote for people', () => {
  it('renders a message code in the reader’s language, and the English sentence of a run started before message codes as it is', () => {
    const coded = { message: 'Phase AWAITING_APPROVAL', text: { code: 'PHASE_ENTERED', params: { phase: 'AWAITING_APPROVAL' } } };
    expect(renderRunText(coded, 'fr')).toBe('Phase : attente des approbations');
    expect(renderRunText(coded, 'en')).toBe('Phase: awaiting approval');
    expect(renderRunText({ message: 'Phase AWAITING_APPROVAL' }, 'fr')).toBe('Phase AWAITING_APPROVAL');
    expect(renderRunText({ reason: 'cancelled by ops-1' }, 'fr')).toBe('cancelled by ops-1');
  });
});
