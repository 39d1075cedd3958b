//! The colours and styles of eventdesk, in one place.

use ratatui::style::{Color, Modifier, Style};

pub const HEADER: Style = Style::new().fg(Color::Black).bg(Color::Cyan);
pub const TAB: Style = Style::new().fg(Color::Gray);
pub const TAB_ACTIVE: Style = Style::new().fg(Color::Black).bg(Color::White).add_modifier(Modifier::BOLD);
pub const TABLE_HEADER: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const SELECTED: Style = Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD);
pub const BORDER: Style = Style::new().fg(Color::Gray);
pub const BORDER_FOCUS: Style = Style::new().fg(Color::Cyan);
pub const MUTED: Style = Style::new().fg(Color::DarkGray);
pub const LABEL: Style = Style::new().fg(Color::Cyan);
pub const BUTTON: Style = Style::new().fg(Color::White).bg(Color::DarkGray);
pub const KEY: Style = Style::new().fg(Color::Black).bg(Color::Gray);
pub const INFO: Style = Style::new().fg(Color::Green);
pub const WAITING: Style = Style::new().fg(Color::Yellow);
pub const ERROR: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
pub const INPUT: Style = Style::new().fg(Color::White).bg(Color::Black);
pub const INPUT_FOCUS: Style = Style::new().fg(Color::Black).bg(Color::White);
pub const TITLE: Style = Style::new().add_modifier(Modifier::BOLD);

pub const FILL_OK: Style = Style::new().fg(Color::Green);
pub const FILL_NEAR: Style = Style::new().fg(Color::Yellow);
pub const FILL_FULL: Style = Style::new().fg(Color::Red);

pub const UPCOMING: Style = Style::new().fg(Color::Cyan);
pub const ONGOING: Style = Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD);
pub const PAST: Style = Style::new().fg(Color::DarkGray);
pub const ACTIVE: Style = Style::new().fg(Color::Green);
pub const CANCELLED: Style = Style::new().fg(Color::DarkGray).add_modifier(Modifier::CROSSED_OUT);
