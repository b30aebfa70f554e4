/**
 * What "no English in the French page" means, from the catalogues rather than a hand list: the
 * words that the English side of the message catalogue (domain/messages.ts: every message
 * rendered, and the vocabulary) and of the dashboard's words (dashboard/i18n.ts) use and the
 * French side never does. A French page that shows one of them shows English.
 */
import { MESSAGE_CODES, renderMessage, vocabularyTexts } from '../../domain';
import { messagesIn } from '../../dashboard/i18n';
import { EXAMPLES } from './message-examples';

/**
 * The words of a text: runs of letters (apostrophes and inner hyphens kept), lower-cased.
 * Identifiers (`wave-1`, `provisioning.key-vault.standard`, an e-mail, a date) are not words:
 * a token with a digit, a dot, an underscore, a slash or an @ is left out whole, as is a
 * hyphenated one (`key-vault`, `secnumcloud-hds`).
 */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(/[\s,;:!?()«»“”"[\]{}…·—–|<>=+*]+/u)) {
    const trimmed = token.replace(/^['’]+|['’.]+$/gu, '');
    if (trimmed === '' || /[\d._/@\\-]/u.test(trimmed) || !/\p{L}/u.test(trimmed)) continue;
    // An elided French article or pronoun (l’, d’, qu’) belongs to the word after it.
    words.push(trimmed.replace(/^(?:l|d|qu|n|s|j|c|jusqu|lorsqu)['’]/iu, '').toLowerCase());
  }
  return words;
}

/**
 * Every text of the catalogues, French beside English: each message rendered from its example,
 * the vocabulary, the dashboard's words, paired by code or key.
 */
export function cataloguePairs(): [french: string, english: string][] {
  const pairs = MESSAGE_CODES.map((code): [string, string] => [renderMessage(code, EXAMPLES[code] as never, 'fr'), renderMessage(code, EXAMPLES[code] as never, 'en')]);
  for (const [french, english] of [
    [vocabularyTexts('fr'), vocabularyTexts('en')],
    [textsOf(messagesIn('fr')), textsOf(messagesIn('en'))],
  ]) {
    for (const [path, text] of english!) pairs.push([french!.get(path) ?? '', text]);
  }
  return pairs;
}

/** The texts of a dictionary by where they sit, a function's text taken with `…` for its parameters. */
function textsOf(dictionary: object): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') texts.set(path, value);
    else if (typeof value === 'function') {
      try {
        texts.set(path, String((value as (...args: unknown[]) => unknown)('…', '…', '…')));
      } catch {
        // A function that needs typed arguments (a problem object) has no fixed text to give.
      }
    } else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  walk(dictionary, '');
  return texts;
}

/**
 * The words the English side uses and the French side never does. A text the same in both
 * languages lends its words to the French side only when it is one word (a name both share:
 * `Action`, `Migration`, `Kubernetes`), so that a sentence left untranslated does not make
 * its English words French.
 */
export function englishOnlyWords(): Set<string> {
  const pairs = cataloguePairs();
  const french = new Set(pairs.filter(([fr, en]) => fr !== en || wordsOf(fr).length <= 1).flatMap(([fr]) => wordsOf(fr)));
  return new Set(pairs.flatMap(([, en]) => wordsOf(en)).filter((word) => !french.has(word)));
}

/**
 * The English-only words a French text holds, but those in `asWritten` (what people and other
 * systems wrote, shown as written), each with the text around its first occurrence.
 */
export function englishWordsIn(text: string, asWritten: Iterable<string> = []): string[] {
  const english = englishOnlyWords();
  const allowed = new Set([...asWritten].flatMap(wordsOf));
  const found = [...new Set(wordsOf(text).filter((word) => english.has(word) && !allowed.has(word)))];
  return found.map((word) => {
    const at = text.toLowerCase().search(new RegExp(`(?<!\\p{L})${word.replace(/[’']/gu, '.')}(?!\\p{L})`, 'u'));
    return `${word}: …${text.slice(Math.max(0, at - 60), at + word.length + 60).replace(/\s+/g, ' ')}…`;
  });
}

