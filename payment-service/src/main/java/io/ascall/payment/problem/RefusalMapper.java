package io.ascall.payment.problem;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.ascall.payment.PaymentTransitionRefused;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A step the payment's state does not allow is the client's 409, not a failure of ours (io.ascall.problem maps the rest). */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(PaymentTransitionRefused e, UriInfo uri) {
        return Problem.of(CommonProblemType.CONFLICT, e.getMessage()).at(uri).toResponse();
    }
}
