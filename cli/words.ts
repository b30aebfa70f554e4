/**
 * The command line's own words in French and English, for the commands that take `--lang`
 * (status, watch and the pages of a run): what the run wrote for people comes from its message
 * codes (domain/messages.ts), these are the lines around it. English is the default and reads
 * as the command line always has.
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
  },
  yes: 'oui',
  no: 'non',
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
  },
  yes: 'yes',
  no: 'no',
};

/** The command line's words in `language`. */
export function cliWords(language: Language): typeof fr {
  return language === 'fr' ? fr : en;
}
