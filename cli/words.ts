/**
 * The command line's own words in French and English, for the commands that take `--lang`
 * (validate, list, status, watch, report, the pages of a run, derogations, risks and clean-ups):
 * what the run wrote for people comes from its message codes and the names of its vocabulary
 * from the catalogue (domain/messages.ts), these are the lines and headings around them.
 * English is the default and reads as the command line always has.
 */
import { type Language, phaseLabel, type Phase, type RehearsalState, rehearsalStateLabel, type RunStatus, runStatusLabel, type StepState, stepStateLabel } from '../domain';
import { PHASE_LABELS_EN } from '../client/run-progress';

function capitalize(value: string): string {
  return `${value.charAt(0).toUpperCase()}${value.slice(1)}`;
}

const fr = {
  phase: (phase: Phase) => capitalize(phaseLabel(phase, 'fr')),
  phaseCode: (phase: Phase) => phaseLabel(phase, 'fr'),
  status: (status: RunStatus) => runStatusLabel(status, 'fr'),
  state: (state: StepState) => stepStateLabel(state, 'fr'),
  updated: (at: string) => `mise à jour ${at}`,
  waves: 'Vagues',
  wavesDone: (done: number, total: number, underWay: number) => `${done}/${total} terminée(s)${underWay > 0 ? `, ${underWay} en cours` : ''}`,
  wave: (index: number) => `vague ${index}`,
  waitingForProvider: (lines: string) => `En attente du fournisseur : ${lines}`,
  zoneHeld: (held: number, total: number) => `${held} charge(s) sur ${total} en attente`,
  moreAttention: (count: number, runId: string) => `et ${count} de plus : passerelle steps ${runId} --state FAILED`,
  waitingForApprovals: (list: string) => `En attente des approbations : ${list}`,
  started: (at: string, by: string, ended: string | undefined) => `Lancée le ${at} par ${by}${ended ? `, terminée le ${ended}` : ''}.`,
  outcome: (text: string) => `Issue : ${text}`,
  latest: 'Dernières entrées :',
  retryHint: (runId: string) => `Relancer : passerelle retry ${runId} <étape>   Ignorer : passerelle skip ${runId} <étape> --reason "…"`,
  windowWaiting: (exceptional: boolean, opens: string, closes: string, zone: string, duration: string) =>
    `En attente de la prochaine fenêtre de bascule${exceptional ? ' exceptionnelle' : ''} : ouvre ${opens}, ferme ${closes}${zone} ; la bascule demande ${duration}`,
  windowIn: (exceptional: boolean, closes: string, zone: string) => `Dans sa fenêtre de bascule${exceptional ? ' exceptionnelle' : ''} jusqu’à ${closes}${zone}`,
  windowNone: (duration: string) => `Aucune fenêtre de bascule restante ne laisse le temps de basculer (${duration}) : l’exploitation peut en ouvrir une (passerelle open-window)`,
  rehearsal: (attempt: number, state: RehearsalState) => `Répétition, tentative ${attempt} : ${rehearsalStateLabel(state, 'fr')}`,
  rehearsalDue: (at: string, role: string) => ` (${role}) jusqu’au ${at}`,
  smokeTests: (passed: number, total: number) => ` ; tests de fumée réussis : ${passed}/${total}`,
  rehearsalCommand: (runId: string, waveId: string) => ` : passerelle rehearsal ${runId} ${waveId} --confirm | --problem --comment "…"`,
  headers: {
    approval: 'approbation', role: 'rôle', round: 'tour', state: 'état', due: 'échéance', decidedBy: 'décidée par', comment: 'commentaire',
    failedStep: 'étape en échec', error: 'erreur', since: 'depuis', at: 'quand', kind: 'type', message: 'message', actor: 'qui',
    action: 'action', target: 'objet', step: 'étape', started: 'début', ended: 'fin', note: 'remarque', workload: 'charge', name: 'nom',
    level: 'hébergement', hds: 'hds', zone: 'zone', waveId: 'vague', outcome: 'devenir', reason: 'motif',
    rules: 'règles', transfer: 'transfert', why: 'pourquoi', id: 'identifiant', customer: 'client', phase: 'phase', status: 'statut', attention: 'intervention',
    derogation: 'dérogation', grantedBy: 'accordée par', expires: 'échéance', renewals: 'renouvellements', measures: 'mesures',
    undo: 'à défaire', detail: 'détail', risk: 'risque', owner: 'responsable', acceptedBy: 'acceptée par', description: 'description',
    workloads: 'charges', steps: 'étapes',
  },
  yes: 'oui',
  no: 'non',
  more: (cursor: string) => `Suite : --cursor ${cursor}`,
  noMigration: 'Aucune migration ne correspond.',
  planHead: (planId: string | undefined, name: string, type: string) => `Plan ${planId ?? '(sans planId)'} : ${name} (${type})`,
  planSummary: (total: number, migrating: number, notEligible: number, hds: number) =>
    `${total} charges : ${migrating} ${migrating > 1 ? 'migrent' : 'migre'}, ${notEligible} ${notEligible > 1 ? 'restent' : 'reste'} sur site, ${hds} ${hds > 1 ? 'demandent' : 'demande'} un hébergeur HDS.`,
  inheritedFrom: (ids: string) => `héritée de ${ids}`,
  landingZones: (zones: string, m365: boolean) => `Zones d’atterrissage : ${zones || 'aucune'}${m365 ? ', plus le locataire Microsoft 365' : ''}.`,
  needsSecnumcloud: (ids: string) => `Demande la qualification SecNumCloud du fournisseur pour : ${ids}.`,
  needsHds: (ids: string) => `Demande le certificat HDS du fournisseur pour : ${ids}.`,
  transfer: (sizeGb: number, duration: string, mbps: number) => `Transfert : ${sizeGb} Go en ${duration} à ${mbps} Mbit/s.`,
  warning: (text: string) => `Avertissement : ${text}`,
  final: '  (définitif)',
  workloadsLine: (total: number, migrating: number, notEligible: number) =>
    `Charges : ${total} (${migrating} ${migrating > 1 ? 'migrent' : 'migre'}, ${notEligible} ${notEligible > 1 ? 'restent' : 'reste'} sur site).`,
  stepsLine: (total: number, counts: string) => `Étapes : ${total} (${counts}).`,
  derogation: (id: string, workloads: string, state: string, until: string | undefined, renewed: boolean) =>
    `Dérogation ${id} (charges ${workloads}) : ${state}${until ? `, jusqu’au ${until}` : ''}${renewed ? ', renouvelée' : ''}.`,
  noDerogation: (runId: string) => `L’exécution ${runId} n’a pas de dérogation.`,
  cleanupHead: (state: string, by: string, at: string, ended: string | undefined, reason: string | undefined) =>
    `Nettoyage ${state}, demandé par ${by} le ${at}${ended ? `, terminé le ${ended}` : ''}${reason ? ` (${reason})` : ''}.`,
  nothingToUndo: 'L’exécution n’avait rien laissé à défaire.',
  cleanupStarted: (created: boolean, runId: string) => `${created ? 'Nettoyage lancé' : 'Nettoyage déjà demandé'} pour ${runId}.`,
  cleanupFollow: (runId: string) => `Suivez-le avec : passerelle status ${runId}`,
  notDerived: 'L’exécution n’a pas encore classé son plan : pas de registre.',
  noRisk: 'Aucun risque résiduel.',
  acceptedOnHomologation: (by: string, at: string, ids: string) => `Acceptés avec l’homologation par ${by} le ${at} : ${ids || 'aucun ouvert'}.`,
  acceptedRisk: (id: string, role: string, state: string, by: string | undefined, at: string | undefined, description: string) =>
    `Risque ${id} (${role}) ${state}${by === undefined ? '' : ` par ${by} le ${at ?? ''}`} : ${description}`,
};

const en: typeof fr = {
  phase: (phase) => PHASE_LABELS_EN[phase],
  phaseCode: (phase) => phase,
  status: (status) => status,
  state: (state) => state,
  updated: (at) => `updated ${at}`,
  waves: 'Waves',
  wavesDone: (done, total, underWay) => `${done}/${total} done${underWay > 0 ? `, ${underWay} under way` : ''}`,
  wave: (index) => `wave ${index}`,
  waitingForProvider: (lines) => `Waiting for the provider: ${lines}`,
  zoneHeld: (held, total) => `${held} of ${total} workload(s) wait`,
  moreAttention: (count, runId) => `and ${count} more: passerelle steps ${runId} --state FAILED`,
  waitingForApprovals: (list) => `Waiting for approvals: ${list}`,
  started: (at, by, ended) => `Started ${at} by ${by}${ended ? `, ended ${ended}` : ''}.`,
  outcome: (text) => `Outcome: ${text}`,
  latest: 'Latest:',
  retryHint: (runId) => `Retry: passerelle retry ${runId} <step>   Skip: passerelle skip ${runId} <step> --reason "…"`,
  windowWaiting: (exceptional, opens, closes, zone, duration) =>
    `Waiting for the next ${exceptional ? 'exceptional cutover window' : 'cutover window'}: opens ${opens}, closes ${closes}${zone}; the switchover needs ${duration}`,
  windowIn: (exceptional, closes, zone) => `In its ${exceptional ? 'exceptional cutover window' : 'cutover window'} until ${closes}${zone}`,
  windowNone: (duration) => `No cutover window left that holds the switchover (${duration}): ops may open one (passerelle open-window)`,
  rehearsal: (attempt, state) => `Rehearsal, attempt ${attempt}: ${state}`,
  rehearsalDue: (at, role) => ` (${role}) until ${at}`,
  smokeTests: (passed, total) => `; smoke tests passed: ${passed}/${total}`,
  rehearsalCommand: (runId, waveId) => `: passerelle rehearsal ${runId} ${waveId} --confirm | --problem --comment "…"`,
  headers: {
    approval: 'approval', role: 'role', round: 'round', state: 'state', due: 'due', decidedBy: 'decided by', comment: 'comment',
    failedStep: 'failed step', error: 'error', since: 'since', at: 'at', kind: 'kind', message: 'message', actor: 'actor',
    action: 'action', target: 'target', step: 'step', started: 'started', ended: 'ended', note: 'note', workload: 'workload', name: 'name',
    level: 'level', hds: 'hds', zone: 'zone', waveId: 'wave', outcome: 'outcome', reason: 'reason',
    rules: 'rules', transfer: 'transfer', why: 'why', id: 'id', customer: 'customer', phase: 'phase', status: 'status', attention: 'attention',
    derogation: 'derogation', grantedBy: 'granted by', expires: 'expires', renewals: 'renewals', measures: 'measures',
    undo: 'undo', detail: 'detail', risk: 'risk', owner: 'owner', acceptedBy: 'accepted by', description: 'description',
    workloads: 'workloads', steps: 'steps',
  },
  yes: 'yes',
  no: 'no',
  more: (cursor) => `More: --cursor ${cursor}`,
  noMigration: 'No migration matches.',
  planHead: (planId, name, type) => `Plan ${planId ?? '(no planId)'}: ${name} (${type})`,
  planSummary: (total, migrating, notEligible, hds) => `${total} workloads: ${migrating} migrate, ${notEligible} stay on site, ${hds} need an HDS host.`,
  inheritedFrom: (ids) => `inherited from ${ids}`,
  landingZones: (zones, m365) => `Landing zones: ${zones || 'none'}${m365 ? ', plus the Microsoft 365 tenant' : ''}.`,
  needsSecnumcloud: (ids) => `Needs the provider's SecNumCloud qualification for: ${ids}.`,
  needsHds: (ids) => `Needs the provider's HDS certificate for: ${ids}.`,
  transfer: (sizeGb, duration, mbps) => `Transfer: ${sizeGb} GB in ${duration} at ${mbps} Mbit/s.`,
  warning: (text) => `Warning: ${text}`,
  final: '  (final)',
  workloadsLine: (total, migrating, notEligible) => `Workloads: ${total} (${migrating} migrate, ${notEligible} stay on site).`,
  stepsLine: (total, counts) => `Steps: ${total} (${counts}).`,
  derogation: (id, workloads, state, until, renewed) => `Derogation ${id} (workloads ${workloads}): ${state}${until ? `, until ${until}` : ''}${renewed ? ', renewed' : ''}.`,
  noDerogation: (runId) => `Run ${runId} has no derogation.`,
  cleanupHead: (state, by, at, ended, reason) => `Clean-up ${state}, asked by ${by} ${at}${ended ? `, ended ${ended}` : ''}${reason ? ` (${reason})` : ''}.`,
  nothingToUndo: 'The run had left nothing to undo.',
  cleanupStarted: (created, runId) => `${created ? 'Clean-up started' : 'Clean-up asked for before'} for ${runId}.`,
  cleanupFollow: (runId) => `Follow it with: passerelle status ${runId}`,
  notDerived: 'The run has not classified its plan yet: no register.',
  noRisk: 'No residual risk.',
  acceptedOnHomologation: (by, at, ids) => `Accepted with the homologation by ${by} on ${at}: ${ids || 'none open'}.`,
  acceptedRisk: (id, role, state, by, at, description) => `Risk ${id} (${role}) ${state}${by === undefined ? '' : ` by ${by} on ${at ?? ''}`}: ${description}`,
};

/** The command line's words in `language`. */
export function cliWords(language: Language): typeof fr {
  return language === 'fr' ? fr : en;
}
