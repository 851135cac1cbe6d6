import type { ReactNode, SVGProps } from 'react';

// A handful of line icons drawn here rather than a whole icon package: a few hundred
// bytes instead of a dependency, for the pages that must load fast over 3G.
// All are decorative (aria-hidden); every control carries a text label too.

function Icon({ children, size = 24, ...rest }: SVGProps<SVGSVGElement> & { size?: number; children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

type P = { size?: number };

const Slash = () => <path d="M3 3l18 18" />;

export const MicIcon = ({ size }: P) => (
  <Icon size={size}>
    <rect x="9" y="2" width="6" height="12" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8" />
  </Icon>
);

export const MicOffIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M15 9.5V5a3 3 0 0 0-5.8-1.1M9 9v2a3 3 0 0 0 4.6 2.5" />
    <path d="M5 11a7 7 0 0 0 11.3 5.5M19 11a7 7 0 0 1-.6 2.8M12 18v3M8 21h8" />
    <Slash />
  </Icon>
);

export const CameraIcon = ({ size }: P) => (
  <Icon size={size}>
    <rect x="2" y="6" width="13" height="12" rx="2" />
    <path d="M15 10l6-3v10l-6-3z" />
  </Icon>
);

export const CameraOffIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M8 6h5a2 2 0 0 1 2 2v5M15 16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2" />
    <path d="M15 10l6-3v10l-4-2" />
    <Slash />
  </Icon>
);

export const HeadphonesIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M4 15v-3a8 8 0 0 1 16 0v3" />
    <rect x="3" y="14" width="4" height="7" rx="1.5" />
    <rect x="17" y="14" width="4" height="7" rx="1.5" />
  </Icon>
);

export const LeaveIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" />
    <path d="M9 16l-4-4 4-4M5 12h10" />
  </Icon>
);

/** «Завершить консультацию»: a filled stop square (an outline would read as a checkbox). */
export const EndIcon = ({ size }: P) => (
  <Icon size={size}>
    <rect x="6" y="6" width="12" height="12" rx="1.5" fill="currentColor" />
  </Icon>
);

export const PhoneIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />
  </Icon>
);

export const CheckIcon = ({ size }: P) => (
  <Icon size={size}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12l3 3 5-6" />
  </Icon>
);

export const WarningIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M12 3l9.5 17h-19z" />
    <path d="M12 10v4M12 17.5v.01" />
  </Icon>
);

export const PersonIcon = ({ size }: P) => (
  <Icon size={size}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1" />
  </Icon>
);

export const RefreshIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M20 11a8 8 0 0 0-14.9-3.5M4 4v4h4M4 13a8 8 0 0 0 14.9 3.5M20 20v-4h-4" />
  </Icon>
);

export const SoundIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M4 9h4l5-4v14l-5-4H4z" />
    <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />
  </Icon>
);

export const ChatIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z" />
    <path d="M8 10h8M8 13h5" />
  </Icon>
);

export const HandIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10V4.5a1.5 1.5 0 0 1 3 0V11M14 10.5V6a1.5 1.5 0 0 1 3 0v8" />
    <path d="M17 10.5a1.5 1.5 0 0 1 3 0V15a7 7 0 0 1-7 7h-1a7 7 0 0 1-5.6-2.8L4 16a1.5 1.5 0 0 1 2.4-1.8L8 16" />
  </Icon>
);

export const ScreenIcon = ({ size }: P) => (
  <Icon size={size}>
    <rect x="2" y="4" width="20" height="13" rx="2" />
    <path d="M8 21h8M12 17v4M12 13V8M9.5 10.5L12 8l2.5 2.5" />
  </Icon>
);

export const StepInIcon = ({ size }: P) => (
  <Icon size={size}>
    <circle cx="9" cy="8" r="4" />
    <path d="M2 21v-1a6 6 0 0 1 6-6h2M18 14v6M15 17h6" />
  </Icon>
);

export const StepOutIcon = ({ size }: P) => (
  <Icon size={size}>
    <circle cx="9" cy="8" r="4" />
    <path d="M2 21v-1a6 6 0 0 1 6-6h2M15 17h6" />
  </Icon>
);

export const EyeIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
  </Icon>
);

export const PeopleIcon = ({ size }: P) => (
  <Icon size={size}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20v-1a5.5 5.5 0 0 1 5.5-5.5h2a5.5 5.5 0 0 1 5.5 5.5v1" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 13.7a5.5 5.5 0 0 1 3.5 5.3v1" />
  </Icon>
);

export const LinkIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
    <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </Icon>
);

export const BellIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </Icon>
);

export const MenuIcon = ({ size }: P) => (
  <Icon size={size}>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </Icon>
);
