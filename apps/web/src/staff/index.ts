// The staff screens: one lazily loaded chunk (with its Mantine sheets), so the client's
// invitation page neither downloads nor parses any of it.
export { StaffLayout } from './StaffLayout.tsx';
export { SignInPage } from './SignInPage.tsx';
export { SetPasswordPage } from './SetPasswordPage.tsx';
export { AccountPage, TotpPage } from './AccountPage.tsx';
export { AdminStaffPage } from './AdminStaffPage.tsx';
export { AdminAuditPage } from './AdminAuditPage.tsx';
export { StaffHome } from './StaffHome.tsx';
export { StaffRoomPage } from './StaffRoomPage.tsx';
export { ConsultationPage } from './consultations/ConsultationPage.tsx';
export { DayBoardPage } from './day/DayBoardPage.tsx';
export { InstitutionSettingsPage } from './institution/InstitutionSettingsPage.tsx';
export { RequestsPage } from './requests/RequestsPage.tsx';
export { JournalPage } from './journal/JournalPage.tsx';
export { BookingPage } from './booking/BookingPage.tsx';
export { FailuresPage } from './booking/FailuresPage.tsx';
export { ClientsPage } from './clients/ClientsPage.tsx';
export { ClientPage } from './clients/ClientPage.tsx';
export { WebinarsPage } from './webinars/WebinarsPage.tsx';
export { WebinarPage } from './webinars/WebinarPage.tsx';
export { DyadsPage } from './dyads/DyadsPage.tsx';
export { SchedulesPage } from './schedules/SchedulesPage.tsx';
