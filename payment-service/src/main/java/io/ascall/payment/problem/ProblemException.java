package io.ascall.payment.problem;

/** Ends a request with the given problem. An expected outcome, so it carries no stack trace. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.type().uri(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
