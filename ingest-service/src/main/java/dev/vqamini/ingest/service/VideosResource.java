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
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /videos}: a video as multipart/form-data (part {@code file}, optional {@code id}, {@code mos},
 * {@code dataset}) or as JSON {@code {"uri": ..., "id"?, "mos"?, "dataset"?}}. Answers 202 with the video id, the
 * upload id and where its score will be; 503 with Retry-After when the decoders are busy; 4xx with the reason for a
 * refused request. {@code GET /uploads/{uploadId}} tells what became of an upload.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class VideosResource {

    /** The JSON form of an upload. */
    public record UriUpload(String uri, String id, Double mos, String dataset) {
    }

    private final IngestPipeline pipeline;
    private final UploadSource source;

    VideosResource(IngestPipeline pipeline, UploadSource source) {
        this.pipeline = pipeline;
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
        if (file.size() > pipeline.settings().maxUploadBytes()) {
            return error(413, "upload of " + file.size() + " bytes is over the limit of " + pipeline.settings().maxUploadBytes()
                    + " bytes (vqa.ingest.max-upload-bytes)");
        }
        if (!pipeline.hasRoom()) {
            return busy();
        }
        java.nio.file.Path kept = source.newFile(file.fileName());
        Files.move(file.uploadedFile(), kept, StandardCopyOption.REPLACE_EXISTING); // the request's temp file goes at its end
        String videoId = id == null || id.isBlank() ? kept.getFileName().toString() : id;
        try {
            return accept("rest", upload(videoId, kept.toUri().toString(), mos, dataset), kept, true);
        } catch (IllegalArgumentException e) {
            Files.deleteIfExists(kept);
            return error(400, e.getMessage());
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
            source.check(body.uri()); // refusals first: a refused URI is refused even when busy
        } catch (IllegalArgumentException e) {
            return error(403, e.getMessage());
        }
        if (!pipeline.hasRoom()) {
            return busy();
        }
        UploadSource.Local local;
        try {
            local = source.fetch(body.uri());
        } catch (IllegalArgumentException e) {
            return error(403, e.getMessage()); // outside the allowed folders or hosts, or too large: nothing published
        }
        String videoId = body.id() == null || body.id().isBlank() ? UploadSource.idOf(body.uri()) : body.id();
        return accept("rest", upload(videoId, body.uri(), body.mos() == null ? null : body.mos().toString(), body.dataset()),
                local.file(), local.owned());
    }

    @GET
    @Path("uploads/{uploadId}")
    public Response status(@PathParam("uploadId") String uploadId) {
        return pipeline.status(uploadId).map(o -> Response.ok(o).build())
                .orElse(error(404, "no upload " + uploadId + " (unknown, or older than the last 10,000)"));
    }

    private Response accept(String how, VideoUpload upload, java.nio.file.Path file, boolean owned) {
        String uploadId = UUID.randomUUID().toString();
        if (pipeline.submit(new IngestPipeline.Job(how, upload, uploadId, file, owned)).isEmpty()) {
            return busy();
        }
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

    private static Response busy() {
        return Response.status(503).header("Retry-After", "5")
                .entity(Map.of("error", "all decoders busy and the queue is full: retry later")).build();
    }

    private static Response error(int status, String reason) {
        return Response.status(status).entity(Map.of("error", reason)).build();
    }
}
