package io.ascall.call.problem;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.ascall.call.CallTransitionRefused;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A step the call's state does not allow is the client's 409, not a failure of ours (io.ascall.problem maps the rest). */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refused(CallTransitionRefused e, UriInfo uri) {
        return Problem.of(CommonProblemType.CONFLICT, e.getMessage()).at(uri).toResponse();
    }
}
