/**
 * The legal basis of each classification rule, as docs/rules.md states it, in French and
 * English: what the homologation file cites beside each workload's rules.
 */
import type { RuleId } from './classification';
import type { Language } from './messages';

/** docs/rules.md, "The level of one workload" and "Dependencies"; "modelling choice" where the rules say so. */
export const RULE_LEGAL_BASES: Readonly<Record<RuleId, Readonly<Record<Language, string>>>> = {
  R1: {
    fr: 'IGI 1300 et guide ANSSI 2024 sur l’hébergement des SI sensibles dans le cloud ; systèmes industriels : choix de modélisation',
    en: 'IGI 1300 and ANSSI’s 2024 guide on hosting sensitive systems in the cloud; industrial control systems: modelling choice',
  },
  R2: { fr: 'Guide ANSSI 2024 (offre qualifiée) ; infrastructure dédiée : choix de modélisation', en: 'ANSSI 2024 guide (qualified offer); dedicated infrastructure: modelling choice' },
  R3: { fr: 'Guide ANSSI 2024 et LPM ; infrastructure dédiée : choix de modélisation', en: 'ANSSI 2024 guide and the LPM; dedicated infrastructure: modelling choice' },
  R4: {
    fr: 'Doctrine « cloud au centre » : circulaires 6282-SG (règle R9) et 6404/SG, loi SREN art. 31',
    en: 'The State’s cloud doctrine: circulaires 6282-SG (rule R9) and 6404/SG, loi SREN art. 31',
  },
  R5: { fr: 'Guide ANSSI 2024 ; établissements de santé : choix de modélisation', en: 'ANSSI 2024 guide; hospitals: modelling choice' },
  R6: { fr: 'Code de la santé publique L.1111-8 et référentiel de certification HDS 2024', en: 'Code de la santé publique L.1111-8 and the 2024 HDS certification framework' },
  R7: { fr: 'Aucune exigence particulière', en: 'No specific requirement' },
  R8: {
    fr: 'Choix de modélisation suivant le guide ANSSI 2024 (l’exigence vaut pour tout le SI qui traite les données)',
    en: 'Modelling choice following the ANSSI 2024 guide (the requirement covers the whole system that processes the data)',
  },
};

/** The legal basis of `rule` in `language`. */
export function ruleLegalBasis(rule: RuleId, language: Language): string {
  return RULE_LEGAL_BASES[rule][language];
}
