#!/bin/sh
# Makes the templates' small stand-in media with ffmpeg: flat drawings (a few KB as PNG) and short,
# low-bitrate MP3s. Users replace them through each template's inputs; run again to remake them.
set -eu
cd "$(dirname "$0")"
ff() { ffmpeg -v error -y "$@"; }
png() { # out size colour boxes…
  out=$1 size=$2 bg=$3
  shift 3
  ff -f lavfi -i "color=c=$bg:s=$size" -frames:v 1 -vf "$*" -compression_level 9 "$out"
}
mkdir -p product-ad/media two-scene-short/media dialogue-beat/media music-video/media social-teaser/media

# A bottle on a plinth: body, shoulder, cap, label.
bottle='drawbox=x=0:y=400:w=512:h=112:c=0x8a7f72:t=fill,drawbox=x=196:y=150:w=120:h=250:c=0x2f6f4f:t=fill,drawbox=x=221:y=110:w=70:h=40:c=0x2f6f4f:t=fill,drawbox=x=231:y=80:w=50:h=30:c=0xc9a227:t=fill,drawbox=x=196:y=240:w=120:h=70:c=0xf2ead3:t=fill'
png product-ad/media/product.png 512x512 0xe9e4dc "$bottle"
png social-teaser/media/product.png 512x512 0x1d2b53 "$bottle"

# A figure in a yellow coat: ground, legs, coat, face, hair.
figure='drawbox=x=0:y=640:w=512:h=128:c=0x5b6b4e:t=fill,drawbox=x=206:y=520:w=40:h=130:c=0x2b2b2b:t=fill,drawbox=x=266:y=520:w=40:h=130:c=0x2b2b2b:t=fill,drawbox=x=176:y=280:w=160:h=250:c=0xe8b923:t=fill,drawbox=x=216:y=170:w=80:h=100:c=0xd9a27e:t=fill,drawbox=x=210:y=150:w=92:h=34:c=0x3b2417:t=fill'
png two-scene-short/media/character.png 512x768 0x9fb6c9 "$figure"
png music-video/media/artist.png 512x768 0x3a1f4d "$figure"

# A head-and-shoulders portrait: shoulders, neck, face, hair, eyes, mouth.
png dialogue-beat/media/portrait.png 512x640 0x6f7f8f 'drawbox=x=96:y=500:w=320:h=140:c=0x37474f:t=fill,drawbox=x=226:y=430:w=60:h=80:c=0xc68e6b:t=fill,drawbox=x=176:y=190:w=160:h=250:c=0xd9a27e:t=fill,drawbox=x=166:y=150:w=180:h=60:c=0x2a1a12:t=fill,drawbox=x=211:y=280:w=24:h=14:c=0x1a1a1a:t=fill,drawbox=x=277:y=280:w=24:h=14:c=0x1a1a1a:t=fill,drawbox=x=231:y=370:w=50:h=12:c=0x8c3b3b:t=fill'

# A spoken line's stand-in: a voiced tone gliding like speech, in syllables, 3 s.
ff -f lavfi -i "aevalsrc='0.6*sin(2*PI*(170+35*sin(2*PI*2.3*t))*t)*pow(abs(sin(2*PI*2.6*t)),0.6)*lt(t,2.7)':s=16000:d=3" \
  -ac 1 -c:a libmp3lame -b:a 16k dialogue-beat/media/line.mp3

# A 12 s track: four 3 s chords (A, F, G, E roots) over a beat, the length the music video's shots fill.
track="st(0,220*if(lt(t,3),1,if(lt(t,6),0.794,if(lt(t,9),0.891,0.749))));"
track="${track}0.16*(sin(2*PI*ld(0)*t)+sin(2*PI*ld(0)*1.26*t)+sin(2*PI*ld(0)*1.5*t))"
track="${track}+0.5*sin(2*PI*55*t)*exp(-12*mod(t,0.5))"
ff -f lavfi -i "aevalsrc='${track}':s=16000:d=12" -ac 1 -c:a libmp3lame -b:a 16k music-video/media/track.mp3
ls -l */media
