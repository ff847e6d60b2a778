package io.ascall.callview.support

import io.ascall.apitesting.Tokens
import io.restassured.RestAssured.given
import io.restassured.filter.Filter
import io.restassured.filter.FilterContext
import io.restassured.response.Response
import io.restassured.specification.FilterableRequestSpecification
import io.restassured.specification.FilterableResponseSpecification
import io.restassured.specification.RequestSpecification

/**
 * Who the tests call call-view-service as. Every endpoint needs a token; the tests of the view
 * itself (its projection, paging, streams, rebuild) read as an operator, who may see every call,
 * and the tests of who may do what ([io.ascall.callview.AccessTest]) send their own tokens.
 */
object Callers {

    /** The operator the tests read as. */
    const val OPERATOR = "test-operator"

    val OPERATOR_TOKEN: String = Tokens.operator(OPERATOR)

    /**
     * A request sent as the operator unless it carries an Authorization header of its own (a test
     * that refuses a caller sets it, even empty).
     */
    fun api(): RequestSpecification = given().filter(AS_OPERATOR)

    fun asCustomer(customerId: String): RequestSpecification =
        given().auth().oauth2(Tokens.customer(customerId))

    fun asOperator(): RequestSpecification = given().auth().oauth2(OPERATOR_TOKEN)

    fun asToken(token: String?): RequestSpecification =
        if (token == null) given() else given().auth().oauth2(token)

    private val AS_OPERATOR =
        object : Filter {
            override fun filter(
                request: FilterableRequestSpecification,
                response: FilterableResponseSpecification,
                context: FilterContext,
            ): Response {
                if (!request.headers.hasHeaderWithName("Authorization")) {
                    request.header("Authorization", "Bearer $OPERATOR_TOKEN")
                }
                return context.next(request, response)
            }
        }
}
