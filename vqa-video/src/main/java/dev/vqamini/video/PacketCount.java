package dev.vqamini.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The frame count upstream's decord reports: the number of packets of the first video stream, found by demuxing
 * the file without decoding (milliseconds, even for long HD files). Duration times frame rate, which is what a
 * container header usually offers, is off by a few frames on many files, and the count sets where each third of the
 * video starts.
 */
final class PacketCount {

    private PacketCount() {
    }

    /** Packets of the first video stream of {@code path}, or -1 if the file cannot be demuxed. */
    static int of(Path path) {
        AVFormatContext ctx = new AVFormatContext(null);
        if (avformat_open_input(ctx, path.toString(), null, null) < 0) {
            return -1;
        }
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            if (avformat_find_stream_info(ctx, (PointerPointer<?>) null) < 0) {
                return -1;
            }
            int stream = -1;
            for (int i = 0; i < ctx.nb_streams() && stream < 0; i++) {
                if (ctx.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                    stream = i;
                }
            }
            if (stream < 0) {
                return -1;
            }
            int n = 0;
            while (av_read_frame(ctx, pkt) >= 0) {
                if (pkt.stream_index() == stream) {
                    n++;
                }
                avcodec.av_packet_unref(pkt);
            }
            return n;
        } finally {
            avcodec.av_packet_free(pkt);
            avformat_close_input(ctx);
        }
    }
}
