#pragma once
// What a tour step's "Show me" does in the workspace: runs the step's variant beside the
// reference (then waits for the run), selects its head, brings its view forward and runs its
// analysis, framing each control it used for a moment (ControlHighlight).

namespace attnscope {

class AttentionWorkspace;
struct DemoTourStep;

void showMe(AttentionWorkspace &workspace, const DemoTourStep &step);

} // namespace attnscope
