import type { BotCommand } from 'telegraf/types';
import { translator } from '../../core/conversation/i18n.js';
import { LANGUAGES, type Language } from '../../core/domain/languages.js';

/** The bot's slash commands, in menu order; descriptions are `command.<name>` in prompts/messages. */
export const TELEGRAM_COMMANDS = ['find', 'offer', 'need', 'my', 'lang', 'help', 'privacy', 'forget'] as const;

/**
 * Telegram wants a two-letter ISO 639-1 code for localized command lists. Filipino has none: Telegram
 * clients report Tagalog (`tl`) for it.
 */
export function telegramLanguageCode(language: Language): string {
  return language === 'fil' ? 'tl' : language;
}

export function commandList(language: Language): BotCommand[] {
  const t = translator(language);
  return TELEGRAM_COMMANDS.map((command) => ({ command, description: t(`command.${command}`).slice(0, 256) }));
}

/**
 * One setMyCommands call per language: English as the default list (no language code), then each other
 * language under its code, so every user's Telegram shows the menu in their interface language.
 */
export function commandRegistrations(): Array<{ language: Language; languageCode?: string; commands: BotCommand[] }> {
  return LANGUAGES.map((language) => ({
    language,
    languageCode: language === 'en' ? undefined : telegramLanguageCode(language),
    commands: commandList(language),
  }));
}
