package dev.vqamini.ingest.service;

import dev.vqamini.wire.proto.VideoUpload;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.vqamini.ingest.UploadIntake;
import dev.vqamini.ingest.UploadSource;
import dev.vqamini.ingest.UploadSpool;
import dev.vqamini.ingest.UploadStatusTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /videos}: a video as multipart/form-data (part {@code file}, optional {@code id}, {@code mos},
 * {@code dataset}) or as JSON {@code {"uri": ..., "id"?, "mos"?, "dataset"?}}. Answers 202 with the video id, the
 * upload id and where its score will be, once the upload is durable ({@link UploadIntake}); 503 with Retry-After when
 * the spool is full or Kafka does not acknowledge; 4xx with the reason for a refused request. {@code GET /uploads/{uploadId}} tells what became of an upload.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class VideosResource {

    /** The JSON form of an upload. */
    public record UriUpload(String uri, String id, Double mos, String dataset) {
    }

    private final IngestConfig settings;
    private final UploadIntake intake;
    private final UploadStatusTable status;
    private final UploadSource source;

    VideosResource(IngestConfig settings, UploadIntake intake, UploadStatusTable status, UploadSource source) {
        this.settings = settings;
        this.intake = intake;
        this.status = status;
        this.source = source;
    }

    @POST
    @Path("videos")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm("file") FileUpload file, @RestForm("id") String id, @RestForm("mos") String mos,
                           @RestForm("dataset") String dataset) throws Exception {
        if (file == null) {
            return error(400, "multipart part 'file' is missing");
        }
        if (file.size() > settings.maxUploadBytes()) {
            return error(413, "upload of " + file.size() + " bytes is over the limit of " + settings.maxUploadBytes()
                    + " bytes (vqa.ingest.max-upload-bytes)");
        }
        String name = UploadSpool.safeName(file.fileName());
        try {
            VideoUpload upload = upload(id == null || id.isBlank() ? name : id, "", mos, dataset);
            return accepted(upload, intake.accept(upload, file.uploadedFile(), name, "rest"));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (UploadIntake.NotAccepted e) {
            return busy(e.getMessage());
        }
    }

    @POST
    @Path("videos")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response upload(UriUpload body) throws Exception {
        if (body == null || body.uri() == null || body.uri().isBlank()) {
            return error(400, "field 'uri' is required");
        }
        try {
            source.check(body.uri()); // outside the allowed folders or hosts, or no such file: nothing published
        } catch (IllegalArgumentException e) {
            return error(403, e.getMessage());
        }
        String videoId = body.id() == null || body.id().isBlank() ? UploadSource.idOf(body.uri()) : body.id();
        VideoUpload upload = upload(videoId, body.uri(), body.mos() == null ? null : body.mos().toString(), body.dataset());
        try {
            return accepted(upload, intake.accept(upload, null, null, "rest"));
        } catch (UploadIntake.NotAccepted e) {
            return busy(e.getMessage());
        }
    }

    @GET
    @Path("uploads/{uploadId}")
    public Response status(@PathParam("uploadId") String uploadId) {
        return status.get(uploadId).map(o -> Response.ok(o).build())
                .orElse(error(404, "no upload " + uploadId + " (unknown, or older than the last 100,000)"));
    }

    private static Response accepted(VideoUpload upload, String uploadId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", upload.getVideoId());
        body.put("upload_id", uploadId);
        body.put("status_url", "/uploads/" + uploadId);
        body.put("score_url", "/scores/" + upload.getVideoId() + " (metrics-service)");
        return Response.accepted(body).build();
    }

    private static VideoUpload upload(String id, String uri, String mos, String dataset) {
        VideoUpload.Builder b = VideoUpload.newBuilder().setVideoId(id).setUri(uri)
                .setDataset(dataset == null ? "" : dataset).setSubmittedAtMs(System.currentTimeMillis());
        if (mos != null && !mos.isBlank()) {
            try {
                b.setMos(Double.parseDouble(mos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mos '" + mos + "' is not a number");
            }
        }
        return b.build();
    }

    private static Response busy(String reason) {
        return Response.status(503).header("Retry-After", "5").entity(Map.of("error", reason)).build();
    }

    private static Response error(int status, String reason) {
        return Response.status(status).entity(Map.of("error", reason)).build();
    }
}
