package dev.vqamini.clips;

/** Both views of one video, as the model scores it: technical fragment clips and the aesthetic clip. */
public record VideoViews(ViewClips technical, ViewClips aesthetic) {

    public VideoViews {
        if (technical.view() != View.TECHNICAL || aesthetic.view() != View.AESTHETIC) {
            throw new IllegalArgumentException("VideoViews needs technical then aesthetic clips, got "
                    + technical.view() + ", " + aesthetic.view());
        }
    }

    public ViewClips get(View view) {
        return view == View.TECHNICAL ? technical : aesthetic;
    }
}
