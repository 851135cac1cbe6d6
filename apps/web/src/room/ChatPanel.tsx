import { Anchor, Button, Checkbox, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { ChatMessage, PeerInfo } from '@dp/protocol';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkIcon } from '../ui/icons.tsx';
import { peerLabel, roleLabel } from './peer-label.ts';
import { materialsOf, questionsOf } from './room-state.ts';
import classes from './SidePanel.module.css';

const MAX_TEXT = 2000;

/** Only http(s) links are ever rendered as links (the server checks too). */
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function useTimeFormat() {
  const { i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' });
  return (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : fmt.format(d);
  };
}

function MaterialLink({ message }: { message: ChatMessage }) {
  const href = safeHttpUrl(message.url);
  if (!href) return <Text>{message.text}</Text>;
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer" fw={600} className={classes.link} data-testid="material-link">
      <LinkIcon size={18} />
      <span>{message.text}</span>
    </Anchor>
  );
}

function MessageLine({
  message,
  selfId,
  inQuestions = false,
  answer,
}: {
  message: ChatMessage;
  selfId: string | undefined;
  inQuestions?: boolean;
  answer?: ((id: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const mine = message.peerId === selfId;
  const author = mine ? t('room.you') : peerLabel(message, t);
  const role = roleLabel(message, t);
  return (
    <li
      className={`${classes.message} ${mine ? classes.mine : ''} ${message.kind === 'question' ? classes.question : ''}`}
      data-testid={inQuestions ? 'question' : 'chat-message'}
      data-kind={message.kind}
      data-answered={String(message.answered)}
      data-id={message.id}
    >
      <div className={classes.messageHead}>
        <span className={classes.author}>{author}</span>
        {!mine && author !== role && <span className={classes.role}>{role}</span>}
        <span className={classes.time}>{time(message.at)}</span>
      </div>
      {message.kind === 'material' ? <MaterialLink message={message} /> : <p className={classes.messageText}>{message.text}</p>}
      {message.kind === 'question' && (
        <div className={classes.questionFoot}>
          <span className={`${classes.state} ${message.answered ? classes.stateAnswered : classes.stateHand}`}>
            {message.answered ? t('room.chat.answered') : t('room.chat.questionBadge')}
          </span>
          {answer && !message.answered && (
            <Button size="compact-md" variant="light" data-testid={`answer-${message.id}`} onClick={() => answer(message.id)}>
              {t('room.chat.markAnswered')}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** Keeps a list scrolled to its end while the reader is there (not when they scrolled up to read). */
function useStickToBottom(dep: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [dep]);
  const onScroll = () => {
    const el = ref.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  return { ref, onScroll };
}

interface ChatProps {
  chat: ChatMessage[];
  self: PeerInfo | null;
  /** Webinar attendees may send a line as a question for the Q&A. */
  canAsk: boolean;
  onSend: (text: string, question: boolean) => Promise<boolean>;
}

/** The room's chat: everything said in writing (kept with the consultation), and a box to write. */
export function ChatPanel({ chat, self, canAsk, onSend }: ChatProps) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [question, setQuestion] = useState(false);
  const [sending, setSending] = useState(false);
  const { ref, onScroll } = useStickToBottom(chat.length);

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || sending) return;
    setSending(true);
    const ok = await onSend(value, canAsk && question);
    setSending(false);
    if (ok) {
      setText('');
      setQuestion(false);
    }
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter starts a new line (as in every messenger).
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className={classes.chat} data-testid="chat">
      <div className={classes.scroll} ref={ref} onScroll={onScroll}>
        {chat.length === 0 ? (
          <Text c="gray.7" className={classes.note}>
            {t('room.chat.empty')}
          </Text>
        ) : (
          <ul className={classes.messages} aria-label={t('room.chat.title')}>
            {chat.map((m) => (
              <MessageLine key={m.id} message={m} selfId={self?.id} />
            ))}
          </ul>
        )}
      </div>
      <form className={classes.compose} onSubmit={(e) => void send(e)}>
        <Textarea
          data-testid="chat-input"
          aria-label={t('room.chat.inputLabel')}
          placeholder={t('room.chat.placeholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value.slice(0, MAX_TEXT))}
          onKeyDown={onKey}
          autosize
          minRows={1}
          maxRows={4}
          size="md"
          classNames={{ input: classes.chatInput }}
        />
        <div className={classes.composeRow}>
          {canAsk && (
            <Checkbox
              data-testid="chat-question"
              label={t('room.chat.isQuestion')}
              checked={question}
              onChange={(e) => setQuestion(e.currentTarget.checked)}
              size="md"
              classNames={{ body: classes.checkBody, label: classes.checkLabel }}
            />
          )}
          <Button type="submit" data-testid="chat-send" loading={sending} disabled={!text.trim()} className={classes.sendButton}>
            {t('room.chat.send')}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** The webinar's questions: open ones first; hosts mark them answered. */
export function QuestionsPanel({ chat, canAnswer, onAnswer }: { chat: ChatMessage[]; canAnswer: boolean; onAnswer: (id: string) => void }) {
  const { t } = useTranslation();
  const questions = questionsOf(chat);
  const open = questions.filter((q) => !q.answered).length;
  return (
    <div className={classes.section} data-testid="questions">
      <Text fw={650} className={classes.note}>
        {questions.length === 0 ? t('room.chat.noQuestions') : t('room.chat.openQuestions', { count: open })}
      </Text>
      <ul className={classes.messages}>
        {questions.map((m) => (
          <MessageLine key={m.id} message={m} selfId={undefined} inQuestions answer={canAnswer ? onAnswer : undefined} />
        ))}
      </ul>
    </div>
  );
}

/** Links and documents given during the consultation; those who may give them have a form. */
export function MaterialsPanel({
  chat,
  canPost,
  onPost,
}: {
  chat: ChatMessage[];
  canPost: boolean;
  onPost: (title: string, url: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const materials = materialsOf(chat);
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setError(null), [title, url]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const href = safeHttpUrl(url.trim()) ?? safeHttpUrl(`https://${url.trim()}`);
    if (!title.trim()) return setError(t('room.materials.titleRequired'));
    if (!href || !url.trim().includes('.')) return setError(t('room.materials.badUrl'));
    setBusy(true);
    const ok = await onPost(title.trim(), href);
    setBusy(false);
    if (ok) {
      setTitle('');
      setUrl('');
    }
  };

  return (
    <div className={classes.section} data-testid="materials">
      {materials.length === 0 ? (
        <Text c="gray.7" className={classes.note}>
          {t('room.materials.empty')}
        </Text>
      ) : (
        <ul className={classes.materialList}>
          {materials.map((m) => (
            <li key={m.id} data-testid="material">
              <MaterialLink message={m} />
            </li>
          ))}
        </ul>
      )}
      {canPost && (
        <form onSubmit={(e) => void submit(e)} className={classes.materialForm}>
          <Stack gap="xs">
            <Text fw={650}>{t('room.materials.formTitle')}</Text>
            <TextInput
              data-testid="material-title"
              label={t('room.materials.title')}
              value={title}
              maxLength={300}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <TextInput
              data-testid="material-url"
              label={t('room.materials.url')}
              placeholder="https://"
              value={url}
              maxLength={2000}
              inputMode="url"
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={error}
            />
            <Button type="submit" data-testid="material-send" loading={busy}>
              {t('room.materials.send')}
            </Button>
          </Stack>
        </form>
      )}
    </div>
  );
}
