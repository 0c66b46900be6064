package io.jitguard.plan;

/**
 * A merge refuses a document it cannot keep whole (a policy or assignment whose shape is not what ARM documents):
 * nothing is written from it. Thrown only by {@link PolicyMerge} and {@link AssignmentMerge}; the engine reports it as
 * a non-retryable {@code UnmergeablePolicy} failure. Extends {@link IllegalArgumentException} for callers that
 * already expect that.
 */
public class UnmergeableDocumentException extends IllegalArgumentException {
    public UnmergeableDocumentException(String message) {
        super(message);
    }
}
