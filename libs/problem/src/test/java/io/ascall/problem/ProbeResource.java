package io.ascall.problem;

import java.net.ConnectException;
import java.util.List;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A service in miniature, to see the library's mapping at work in a real Quarkus REST application. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    public enum Appliance {
        WASHER,
        DRYER
    }

    public record Part(@NotBlank String name) {}

    public record Order(
            @NotBlank @Size(max = 8) String customerId,
            long amount,
            Integer visits,
            double ratio,
            boolean urgent,
            @NotNull Appliance appliance,
            UUID callId,
            List<@NotNull Appliance> skills,
            List<@Valid Part> parts) {}

    /** A service's own problem type, as a service adds it. */
    static final class ProbeProblemType {
        static final ProblemType PAYMENT_DECLINED =
                new ProblemType(422, "payment-declined", "The visit fee payment was declined");

        private ProbeProblemType() {}
    }

    /** A refusal of the service's domain, mapped by a mapper of the service's own. */
    static class ProbeRefused extends RuntimeException {
        ProbeRefused(String message) {
            super(message);
        }
    }

    public static class ProbeRefusals {
        @ServerExceptionMapper
        public Response refused(ProbeRefused e, UriInfo uri) {
            return Problem.of(CommonProblemType.CONFLICT, e.getMessage())
                    .at(uri)
                    .toResponse();
        }
    }

    /** Jackson cannot write it: its getter fails. */
    public static class Unwritable {
        public String getValue() {
            throw new IllegalStateException("cannot be written");
        }
    }

    @POST
    @Path("/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    public Order order(@Valid @NotNull Order body) {
        return body;
    }

    @GET
    @Path("/orders")
    public List<Order> orders(@RestQuery @Max(100) int size) {
        return List.of();
    }

    @POST
    @Path("/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String note(@RestForm String text) {
        return text;
    }

    @GET
    @Path("/declined")
    public Uni<String> declined() {
        return Uni.createFrom()
                .failure(Problem.of(ProbeProblemType.PAYMENT_DECLINED, "card declined")
                        .with("declineReason", "card declined")
                        .toException());
    }

    @GET
    @Path("/refused")
    public Uni<String> refused() {
        return Uni.createFrom().failure(new ProbeRefused("The order is closed"));
    }

    @GET
    @Path("/database")
    public Uni<String> database() {
        return Uni.createFrom()
                .failure(new IllegalStateException(
                        "query failed", new ConnectException("Connection refused: localhost/127.0.0.1:5432")));
    }

    @GET
    @Path("/race")
    public Uni<String> race() {
        return Uni.createFrom()
                .failure(new IllegalStateException(
                        "flush failed", new jakarta.persistence.OptimisticLockException("Row was updated")));
    }

    @GET
    @Path("/search")
    public List<String> search(@RestQuery String customerId) {
        return customerId == null ? List.of() : List.of(customerId);
    }

    @GET
    @Path("/crash")
    public String crash() {
        throw new IllegalStateException("internal secret");
    }

    @GET
    @Path("/unwritable")
    public Unwritable unwritable() {
        return new Unwritable();
    }
}
