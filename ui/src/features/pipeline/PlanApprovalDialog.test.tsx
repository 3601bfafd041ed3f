import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlanApprovalDialog } from "./PlanApprovalDialog";

afterEach(cleanup);

describe("the plan approval dialog", () => {
  it("approves the plan as written", () => {
    const onDecide = vi.fn().mockResolvedValue(null);
    render(<PlanApprovalDialog name="P" plan="1. a" onDecide={onDecide} onClose={() => {}} />);
    expect(screen.getByTestId("plan-approve").textContent).toBe("Approve Plan");
    fireEvent.click(screen.getByTestId("plan-approve"));
    expect(onDecide).toHaveBeenCalledWith({ decision: "approve", text: null });
  });

  it("approves an edited plan with its text", () => {
    const onDecide = vi.fn().mockResolvedValue(null);
    render(<PlanApprovalDialog name="P" plan="1. a" onDecide={onDecide} onClose={() => {}} />);
    fireEvent.change(screen.getByTestId("plan-text"), { target: { value: "1. a\n2. test it" } });
    expect(screen.getByTestId("plan-approve").textContent).toBe("Approve Edited Plan");
    fireEvent.click(screen.getByTestId("plan-approve"));
    expect(onDecide).toHaveBeenCalledWith({ decision: "approve", text: "1. a\n2. test it" });
  });

  it("rejects, and shows why a decision failed", async () => {
    const onDecide = vi.fn().mockResolvedValue("the pipeline has ended");
    render(<PlanApprovalDialog name="P" plan="1. a" onDecide={onDecide} onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("plan-reject"));
    expect(onDecide).toHaveBeenCalledWith({ decision: "reject" });
    await waitFor(() => expect(screen.getByTestId("plan-error").textContent).toBe("the pipeline has ended"));
  });

  it("cannot approve an empty plan, and Later leaves it waiting", () => {
    const onClose = vi.fn();
    render(<PlanApprovalDialog name="P" plan="1. a" onDecide={vi.fn()} onClose={onClose} />);
    fireEvent.change(screen.getByTestId("plan-text"), { target: { value: "  " } });
    expect((screen.getByTestId("plan-approve") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByText("Later"));
    expect(onClose).toHaveBeenCalled();
  });
});
