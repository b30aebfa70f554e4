import {
  renderRunText,
  formatDateTime,
  formatHumanDuration,
  formatList,
  LANGUAGES,
  MESSAGE_CODES,
  MESSAGE_PARAMS,
  message,
  parseMessage,
  renderMessage,
  renderStepTitle,
  renderStoredMessage,
  type MessageCode,
  type MessageParams,
} from '../../domain';

/** One example of every code: the type makes the catalogue and the examples agree. */
const EXAMPLES: { [C in MessageCode]: MessageParams<C> } = {
  RUN_STARTED: { actor: 'consultant@passerelle' },
  PHASE_ENTERED: { phase: 'AWAITING_QUALIFICATION' },
  STEP_STATE_CHANGED: { stepId: 'provisioning.key-vault.secnumcloud-hds', state: 'SUCCEEDED' },
  AUDIT_RECORDED: { actor: 'rssi@ght', action: 'APPROVE', target: 'approval rssi' },
  QUALIFICATION_SIGNALLED: {},
  APPROVALS_REQUESTED: { round: 1, approvalIds: ['rssi', 'dpo', 'dpia', 'homologation'] },
  APPROVAL_REMINDER: { approvalId: 'dpia', role: 'DPO', dueAt: '2027-03-01T10:30:00Z' },
  APPROVAL_ESCALATED: { approvalId: 'homologation', role: 'HOMOLOGATION_AUTHORITY', dueAt: '2027-03-01T10:30:00Z' },
  NOTIFICATION_FAILED: { kind: 'APPROVAL_REMINDER', error: 'smtp timeout' },
  WAVES_PLANNED: { waves: 3, workloads: 9, maxWaveSize: 4 },
  WAVE_DONE: { waveId: 'wave-2', migrated: 4, skipped: 1 },
  WAVE_NOT_STARTED: { waveId: 'wave-3', workloads: 2 },
  WAVE_HELD_BY_RISKS: { waveId: 'wave-3', riskIds: ['long-transfer.pacs'], riskCount: 1 },
  CANCELLING: { undoing: true },
  COMPENSATING: {},
  COMPENSATION_FAILED: { stepId: 'provisioning.tenant', kind: 'delete', error: 'provider unavailable' },
  RUN_COMPLETED: {},
  RUN_REJECTED: { approvalId: 'dpo', actor: 'dpo@ght', comment: 'le registre n’est pas à jour' },
  RUN_CANCELLED: { actor: 'ops@passerelle', reason: 'plan abandonné' },
  RUN_FAILED: { error: 'the plan is not valid' },
  ATTENTION_STEP_FAILED: { stepId: 'cutover.wave-2.dpi.switch', error: 'DNS refused', workloadName: 'Dossier patient informatisé' },
  ATTENTION_RESTORE_FAILED: { workloadName: 'PACS', error: 'source unreachable' },
  ATTENTION_APPROVAL_OVERDUE: { approvalId: 'rssi', role: 'RSSI', dueAt: '2027-03-01T10:30:00Z' },
  ATTENTION_DEROGATION_EXPIRED: { derogationId: 'derogation.secnumcloud', zoneId: 'secnumcloud', revoked: false, at: '2028-07-31T09:00:00Z' },
  STEP_SKIPPED_BY_OPERATOR: {},
  NOTIFY_APPROVAL_DUE: { approvalId: 'dpo', dueAt: '2027-03-01T10:30:00Z' },
  NOTIFY_APPROVAL_OVERDUE: { approvalId: 'dpo', dueAt: '2027-03-01T10:30:00Z' },
  NOTIFY_STEP_FAILED: { stepId: 'provisioning.policies.standard', error: 'quota exceeded' },
  GATE_WAITS_FOR_SECNUMCLOUD: { milestone: 'J2', zoneIds: ['secnumcloud-hds', 'm365-tenant'] },
  GATE_WAITS_FOR_HDS: { zoneIds: ['secnumcloud-hds'] },
  GATE_CREDENTIALS_UNREADABLE: { error: 'HTTP 503' },
  GATE_ZONE_WAITS: { zoneId: 'secnumcloud-hds', needs: ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'], milestone: 'J2' },
  GATE_ZONE_CLEARED: { zoneId: 'secnumcloud', derogationId: 'derogation.secnumcloud' },
  GATE_WORKLOAD_WAITS: { workloadId: 'payroll', zoneIds: ['secnumcloud-hds'] },
  DEROGATION_REQUESTED: { zoneId: 'secnumcloud', actor: 'rssi@ministere' },
  DEROGATION_GRANTED: { zoneId: 'secnumcloud', actor: 'ha@ministere', expiresAt: '2028-07-31T09:00:00Z' },
  DEROGATION_REFUSED: { zoneId: 'secnumcloud', actor: 'ha@ministere' },
  DEROGATION_RENEWED: { zoneId: 'secnumcloud', actor: 'ha@ministere', expiresAt: '2029-07-31T09:00:00Z' },
  DEROGATION_REVOKED: { zoneId: 'secnumcloud', actor: 'ha@ministere' },
  DEROGATION_EXPIRED: { zoneId: 'secnumcloud', at: '2028-07-31T09:00:00Z' },
  DEROGATION_ENDED: { zoneId: 'secnumcloud' },
  DEROGATION_LAPSE_ACKNOWLEDGED: { zoneId: 'secnumcloud', actor: 'ops@passerelle' },
  NOT_ELIGIBLE: { causes: ['INDUSTRIAL_CONTROL'] },
  WARNING_HYBRID_DEPENDENCY: { workloadId: 'historian', dependsOn: 'scada', causes: ['INDUSTRIAL_CONTROL'] },
  WARNING_TRANSFER_OVER_A_WEEK: { sizeGb: 45000, bandwidthMbps: 100, duration: 'P41DT16H' },
  APPROVAL_NEEDED_ALWAYS: {},
  APPROVAL_NEEDED_FOR_CATEGORY: { category: 'HEALTH', workloadIds: ['dpi', 'dpi-db', 'lis', 'mail', 'pacs'], workloadCount: 7 },
  APPROVAL_NEEDED_FOR_LEVEL: { level: 'SECNUMCLOUD', workloadIds: ['ad', 'dpi'], workloadCount: 2 },
  APPROVAL_BASIS: { approvalId: 'dpia' },
  APPROVAL_NEEDED_FOR_CUSTOMER_TYPE: { customerType: 'LOCAL_AUTHORITY' },
  RISK_HYBRID_DEPENDENCY: { workloadId: 'historian', dependsOn: 'scada' },
  RISK_LONG_TRANSFER: { workloadId: 'pacs', sizeGb: 45000, duration: 'P4DT4H' },
  RISK_EXTRATERRITORIAL_EXPOSURE: { workloadId: 'payroll', categories: ['PERSONAL'] },
  RISK_DEROGATION: { zoneId: 'secnumcloud', workloadIds: ['case-files'], workloadCount: 1, expiresAt: '2028-07-31T09:00:00Z' },
  RISKS_OPENED: { riskIds: ['derogation.secnumcloud'], riskCount: 1 },
  RISKS_CLOSED: { riskIds: ['extraterritorial-exposure.payroll', 'long-transfer.pacs'], riskCount: 2 },
  RISKS_ACCEPTED: { actor: 'ha@ght', riskIds: ['extraterritorial-exposure.payroll', 'long-transfer.pacs'], riskCount: 2, onHomologation: true },
  DRAFT_EDITED: { categories: ['HEALTH', 'PERSONAL'], criticality: 'HIGH', application: 'Dossier patient', workloadIds: ['srv-dpi-app01', 'srv-dpi-sql01'], workloadCount: 2 },
};

describe('the message catalogue', () => {
  it.each(MESSAGE_CODES)('renders %s in French and in English, differently, with no placeholder left', (code) => {
    const params = EXAMPLES[code];
    expect(MESSAGE_PARAMS[code].safeParse(params).success).toBe(true);
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

describe('what a run wrote for people', () => {
  it('renders a message code in the reader’s language, and the English sentence of a run started before message codes as it is', () => {
    const coded = { message: 'Phase AWAITING_APPROVAL', text: { code: 'PHASE_ENTERED', params: { phase: 'AWAITING_APPROVAL' } } };
    expect(renderRunText(coded, 'fr')).toBe('Phase : attente des approbations');
    expect(renderRunText(coded, 'en')).toBe('Phase: awaiting approval');
    expect(renderRunText({ message: 'Phase AWAITING_APPROVAL' }, 'fr')).toBe('Phase AWAITING_APPROVAL');
    expect(renderRunText({ reason: 'cancelled by ops-1' }, 'fr')).toBe('cancelled by ops-1');
  });
});
