// The timeline feature: tool calls as a dense, virtualised list, their details, and the plan.
export { AnsiText } from "./AnsiText";
export { ansiColorCss, parseAnsi, type AnsiColor, type AnsiStyle, type Segment } from "./ansi";
export { formatDuration } from "./formatDuration";
export { PlanPanel } from "./PlanPanel";
export { StatusBadge, STATUS_LABEL } from "./StatusBadge";
export { Timeline, type TimelineProps } from "./Timeline";
export { ToolDetails } from "./ToolDetails";
export { ToolIcon } from "./ToolIcon";
export { ToolRow, type ToolRowProps } from "./ToolRow";
