import { Tabs } from '@mantine/core';
import { hasPower, type ConsultationNote, type Registry } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { ChatPanel, MaterialsPanel, QuestionsPanel } from './ChatPanel.tsx';
import { ParticipantList } from './ParticipantList.tsx';
import { NotesPanel, RegistryPanel } from './RecordsPanels.tsx';
import { materialsOf, questionsOf, type RoomState } from './room-state.ts';
import type { RoomActions } from './room-actions.ts';
import type { Resource } from './staff-records.ts';
import classes from './SidePanel.module.css';

export type PanelTab = 'participants' | 'chat' | 'questions' | 'materials' | 'notes' | 'registry';

export interface Records {
  notes: { resource: Resource<ConsultationNote[]>; reload: () => void; replace: (n: ConsultationNote[]) => void };
  registry: { resource: Resource<Registry>; reload: () => void; replace: (r: Registry) => void };
}

/** The tabs this participant gets: the records' tabs only when the server let this page read them. */
export function tabsFor(state: RoomState, records: Records): PanelTab[] {
  const kind = state.room?.kind ?? 'one_to_one';
  const role = state.self?.role;
  const tabs: PanelTab[] = ['chat', 'participants'];
  if (kind === 'webinar') tabs.push('questions');
  if ((role && hasPower(role, 'post_material')) || materialsOf(state.chat).length > 0) tabs.push('materials');
  if (records.notes.resource.status !== 'hidden') tabs.push('notes');
  if (records.registry.resource.status !== 'hidden') tabs.push('registry');
  return tabs;
}

interface Props {
  state: RoomState;
  actions: RoomActions;
  records: Records;
  tab: PanelTab;
  onTab: (tab: PanelTab) => void;
}

/** Participants, chat, questions, materials and the staff's records, as tabs (beside the stage, or in a drawer on a phone). */
export function SidePanel({ state, actions, records, tab, onTab }: Props) {
  const { t } = useTranslation();
  const kind = state.room?.kind ?? 'one_to_one';
  const self = state.self;
  const tabs = tabsFor(state, records);
  const active = tabs.includes(tab) ? tab : 'chat';
  const openQuestions = questionsOf(state.chat).filter((q) => !q.answered).length;
  const consultationId = state.room?.id ?? '';
  const count: Partial<Record<PanelTab, number>> = {
    participants: state.peers.length + 1,
    ...(openQuestions ? { questions: openQuestions } : {}),
  };

  return (
    <Tabs
      value={active}
      onChange={(v) => v && onTab(v as PanelTab)}
      className={classes.tabs}
      classNames={{ list: classes.tabList, tab: classes.tab, panel: classes.panel }}
      variant="pills"
      radius="md"
    >
      <Tabs.List aria-label={t('room.panel.title')}>
        {tabs.map((id) => (
          <Tabs.Tab key={id} value={id} data-testid={`tab-${id}`}>
            {t(`room.panel.${id}`)}
            {count[id] ? <span className={classes.tabCount}> ({count[id]})</span> : null}
          </Tabs.Tab>
        ))}
      </Tabs.List>

      <Tabs.Panel value="chat">
        <ChatPanel
          chat={state.chat}
          self={self}
          canAsk={kind === 'webinar' && self?.role === 'attendee'}
          onSend={(text, question) => actions.sendChat(text, question)}
        />
      </Tabs.Panel>
      <Tabs.Panel value="participants">
        <ParticipantList self={self} peers={state.peers} kind={kind} actions={actions} />
      </Tabs.Panel>
      {tabs.includes('questions') && (
        <Tabs.Panel value="questions">
          <QuestionsPanel
            chat={state.chat}
            canAnswer={self !== null && hasPower(self.role, 'mark_answered')}
            onAnswer={(id) => actions.markAnswered(id)}
          />
        </Tabs.Panel>
      )}
      {tabs.includes('materials') && (
        <Tabs.Panel value="materials">
          <MaterialsPanel
            chat={state.chat}
            canPost={self !== null && hasPower(self.role, 'post_material')}
            onPost={(title, url) => actions.postMaterial(title, url)}
          />
        </Tabs.Panel>
      )}
      {tabs.includes('notes') && (
        <Tabs.Panel value="notes">
          <NotesPanel
            consultationId={consultationId}
            resource={records.notes.resource}
            onReload={records.notes.reload}
            onReplace={records.notes.replace}
          />
        </Tabs.Panel>
      )}
      {tabs.includes('registry') && (
        <Tabs.Panel value="registry">
          <RegistryPanel
            consultationId={consultationId}
            resource={records.registry.resource}
            onReload={records.registry.reload}
            onReplace={records.registry.replace}
          />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}
