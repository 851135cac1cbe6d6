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
